using System.Globalization;

namespace EdgeLstm.Core.Model;

/// <summary>
/// Reads the <c>edgelstm.*</c> keys (<see cref="MetadataKeys"/>) of an ONNX model's <c>metadata_props</c> into a
/// <see cref="ModelMetadata"/>: the one parser behind the converter and the runtime's ONNX Runtime backend. Every
/// value is checked here (list lengths, names present and unique, numbers finite and in range), and the first bad
/// one throws an <see cref="InvalidMetadataException"/> naming the key and the value.
/// </summary>
public static class MetadataParser
{
    private static readonly string WholeNumber = $"expected a whole number from 1 to {ModelMetadata.MaxWindowLength}";
    private static readonly string RateExpected = $"expected the sample rate in Hz, from 0 (unknown) to {ModelMetadata.MaxSampleRateHz}";
    private const string Kinds = "expected classifier, regressor or forecaster";
    private const string Modes = "expected streaming (or stateful) or windowed";

    /// <summary>
    /// Lays the keys present in <paramref name="props"/> over <paramref name="defaults"/>, field by field. The channel
    /// lists must have one entry per channel of <paramref name="defaults"/>, the output list one per output. A blank
    /// <c>edgelstm.name</c> or <c>edgelstm.units</c> counts as absent; any other blank value is an error. Keys outside
    /// <see cref="MetadataKeys.All"/> are ignored. The result is <see cref="ModelMetadata.IsDefault"/> only if
    /// <paramref name="defaults"/> is and no key is present.
    /// </summary>
    /// <param name="props">The ONNX metadata_props, key to value.</param>
    /// <param name="defaults">The metadata to keep where a key is absent; it fixes the channel and output counts.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidMetadataException">A value is empty, malformed, out of range, or has the wrong number of entries.</exception>
    public static ModelMetadata Parse(IReadOnlyDictionary<string, string> props, ModelMetadata defaults)
    {
        ArgumentNullException.ThrowIfNull(props);
        ArgumentNullException.ThrowIfNull(defaults);
        int channelCount = defaults.Channels.Count;
        string[]? names = Names(props, MetadataKeys.Channels, channelCount, "input channel");
        string[]? units = props.TryGetValue(MetadataKeys.Units, out string? u) && !string.IsNullOrWhiteSpace(u)
            ? Entries(MetadataKeys.Units, u, channelCount, "input channel") // entries may be empty: a unit is optional
            : null;
        float[]? means = Numbers(props, MetadataKeys.Mean, channelCount, mustBePositive: false);
        float[]? stds = Numbers(props, MetadataKeys.Std, channelCount, mustBePositive: true);
        var channels = new ChannelInfo[channelCount];
        for (int c = 0; c < channelCount; c++)
        {
            ChannelInfo d = defaults.Channels[c];
            channels[c] = new ChannelInfo(names?[c] ?? d.Name, units?[c] ?? d.Unit, means?[c] ?? d.Mean, stds?[c] ?? d.Std);
        }

        return new ModelMetadata(
            channels,
            Text(props, MetadataKeys.OutputKind, Kinds) is { } kind ? ParseOutputKind(kind) : defaults.OutputKind,
            Names(props, MetadataKeys.Outputs, defaults.OutputNames.Count, "output") ?? defaults.OutputNames,
            Text(props, MetadataKeys.Mode, Modes) is { } mode ? ParseMode(mode) : defaults.Mode,
            Integer(props, MetadataKeys.Window) ?? defaults.WindowLength,
            Integer(props, MetadataKeys.Stride) ?? defaults.Stride,
            props.TryGetValue(MetadataKeys.Name, out string? name) && !string.IsNullOrWhiteSpace(name) ? name.Trim() : defaults.Name,
            IsDefault: defaults.IsDefault && !MetadataKeys.All.Any(props.ContainsKey),
            SampleRateHz: SampleRate(props) ?? defaults.SampleRateHz);
    }

    /// <summary>Parses an output kind: <c>classifier</c>, <c>regressor</c> or <c>forecaster</c>, in any case.</summary>
    /// <param name="value">The text.</param>
    /// <param name="key">Names the value in the error (a sidecar passes its own field name).</param>
    /// <exception cref="InvalidMetadataException">Any other text.</exception>
    public static OutputKind ParseOutputKind(string value, string key = MetadataKeys.OutputKind) => value?.Trim().ToUpperInvariant() switch
    {
        "CLASSIFIER" => OutputKind.Classifier,
        "REGRESSOR" => OutputKind.Regressor,
        "FORECASTER" => OutputKind.Forecaster,
        _ => throw new InvalidMetadataException(key, value ?? "", Kinds),
    };

    /// <summary>Parses an execution mode: <c>streaming</c> (or <c>stateful</c>) or <c>windowed</c>, in any case.</summary>
    /// <param name="value">The text.</param>
    /// <param name="key">Names the value in the error (a sidecar passes its own field name).</param>
    /// <exception cref="InvalidMetadataException">Any other text.</exception>
    public static ExecutionMode ParseMode(string value, string key = MetadataKeys.Mode) => value?.Trim().ToUpperInvariant() switch
    {
        "STREAMING" or "STATEFUL" => ExecutionMode.Streaming,
        "WINDOWED" => ExecutionMode.Windowed,
        _ => throw new InvalidMetadataException(key, value ?? "", Modes),
    };

    /// <summary>The trimmed value of <paramref name="key"/>; null if absent; throws if blank.</summary>
    private static string? Text(IReadOnlyDictionary<string, string> props, string key, string expected)
    {
        if (!props.TryGetValue(key, out string? value)) return null;
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidMetadataException(key, value ?? "", expected + ", or leave the key out")
            : value.Trim();
    }

    /// <summary>The comma-separated entries of <paramref name="value"/>, trimmed; exactly <paramref name="count"/> of them.</summary>
    private static string[] Entries(string key, string value, int count, string per)
    {
        string[] items = value.Split(',');
        for (int i = 0; i < items.Length; i++) items[i] = items[i].Trim();
        if (items.Length != count)
            throw new InvalidMetadataException(key, value, $"{Count(items.Length, "entry", "entries")}, but the model has {Count(count, per, per + "s")}");
        return items;
    }

    /// <summary>A list of names, one per channel or output: none empty, none repeated.</summary>
    private static string[]? Names(IReadOnlyDictionary<string, string> props, string key, int count, string per)
    {
        if (Text(props, key, $"expected {Count(count, "name", "comma-separated names")}") is not { } text) return null;
        string[] items = Entries(key, text, count, per);
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].Length == 0)
                throw new InvalidMetadataException(key, text, $"entry {i + 1} is empty; every {per} needs a name");
            int first = Array.IndexOf(items, items[i]);
            if (first < i)
                throw new InvalidMetadataException(key, text, $"entry {i + 1} '{items[i]}' repeats entry {first + 1}; names must be unique");
        }
        return items;
    }

    /// <summary>A list of finite numbers, one per channel (positive ones for standard deviations).</summary>
    private static float[]? Numbers(IReadOnlyDictionary<string, string> props, string key, int count, bool mustBePositive)
    {
        if (Text(props, key, $"expected {Count(count, "number", "comma-separated numbers")}") is not { } text) return null;
        string[] items = Entries(key, text, count, "input channel");
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            string item = items[i];
            string? problem =
                item.Length == 0 ? $"entry {i + 1} is empty; expected a number"
                : !float.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) ? $"entry {i + 1} '{item}' is not a number"
                : !float.IsFinite(values[i]) ? $"entry {i + 1} '{item}' is not a finite number"
                : mustBePositive && values[i] <= 0 ? $"entry {i + 1} '{item}' is not positive; a standard deviation must be > 0"
                : null;
            if (problem is not null) throw new InvalidMetadataException(key, text, problem);
        }
        return values;
    }

    /// <summary>A window length or stride.</summary>
    private static int? Integer(IReadOnlyDictionary<string, string> props, string key)
    {
        if (Text(props, key, WholeNumber) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= ModelMetadata.MaxWindowLength
            ? v
            : throw new InvalidMetadataException(key, text, WholeNumber);
    }

    private static float? SampleRate(IReadOnlyDictionary<string, string> props)
    {
        if (Text(props, MetadataKeys.SampleRate, RateExpected) is not { } text) return null;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) && v is >= 0 and <= ModelMetadata.MaxSampleRateHz
            ? v
            : throw new InvalidMetadataException(MetadataKeys.SampleRate, text, RateExpected);
    }

    private static string Count(int n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);
}
