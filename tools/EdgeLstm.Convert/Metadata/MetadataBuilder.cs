using System.Globalization;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Metadata;

/// <summary>
/// Builds a model's <see cref="ModelMetadata"/> from the ONNX <c>metadata_props</c> (keys in <see cref="MetadataKeys"/>),
/// overridden field by field by a sidecar JSON. Without either, channels are <c>x0..</c>, outputs <c>y0..</c>, the
/// normalization is the identity and <see cref="ModelMetadata.IsDefault"/> is true.
/// </summary>
public static class MetadataBuilder
{
    /// <summary>Builds the metadata for <paramref name="imported"/>.</summary>
    /// <param name="imported">The imported model (its sizes and the ONNX metadata_props).</param>
    /// <param name="sidecar">The sidecar, or null.</param>
    /// <param name="source">Names the ONNX file in errors.</param>
    /// <param name="sidecarSource">Names the sidecar in errors.</param>
    /// <param name="requireWindow">When false, a windowed model without a window length gets the whole sequence (for scoring a CSV).</param>
    /// <exception cref="ConversionException">A key holds a value that does not fit the model.</exception>
    public static ModelMetadata Build(ImportedModel imported, Sidecar? sidecar, string source, string sidecarSource = "sidecar", bool requireWindow = true)
    {
        ArgumentNullException.ThrowIfNull(imported);
        RecurrentModel model = imported.Model;
        IReadOnlyDictionary<string, string> props = imported.MetadataProps;
        ModelMetadata defaults = model.Metadata;
        bool anyGiven = sidecar is not null || MetadataKeys.All.Any(props.ContainsKey);
        int inputs = model.InputSize, outputs = model.OutputSize;

        string name = sidecar?.Name ?? Prop(props, MetadataKeys.Name) ?? "";
        var channels = new ChannelInfo[inputs];
        string[]? names = List(props, MetadataKeys.Channels, inputs, source, "channel names");
        string[]? units = List(props, MetadataKeys.Units, inputs, source, "units");
        float[]? means = Numbers(props, MetadataKeys.Mean, inputs, source);
        float[]? stds = Numbers(props, MetadataKeys.Std, inputs, source);
        if (sidecar?.Channels is { } sc && sc.Count != inputs)
            throw new ConversionException($"{sidecarSource}: 'channels' lists {sc.Count} channels but the model takes {inputs}.");
        for (int c = 0; c < inputs; c++)
        {
            SidecarChannel? s = sidecar?.Channels?[c];
            channels[c] = new ChannelInfo(
                s?.Name ?? names?[c] ?? defaults.Channels[c].Name,
                s?.Unit ?? units?[c] ?? "",
                s?.Mean ?? means?[c] ?? 0f,
                s?.Std ?? stds?[c] ?? 1f);
        }
        string[] outputNames = sidecar?.Outputs is { } so
            ? (so.Count == outputs ? [.. so] : throw new ConversionException($"{sidecarSource}: 'outputs' lists {so.Count} names but the model produces {outputs}."))
            : List(props, MetadataKeys.Outputs, outputs, source, "output names") ?? [.. defaults.OutputNames];

        OutputKind kind = ParseKind(sidecar?.OutputKind, sidecarSource, "outputKind")
            ?? ParseKind(Prop(props, MetadataKeys.OutputKind), source, MetadataKeys.OutputKind)
            ?? defaults.OutputKind;
        ExecutionMode mode = ParseMode(sidecar?.Mode, sidecarSource, "mode")
            ?? ParseMode(Prop(props, MetadataKeys.Mode), source, MetadataKeys.Mode)
            ?? (model.CanStream ? ExecutionMode.Streaming : ExecutionMode.Windowed);
        int? window = sidecar?.Window ?? Integer(props, MetadataKeys.Window, source);
        int stride = sidecar?.Stride ?? Integer(props, MetadataKeys.Stride, source) ?? 1;
        if (mode == ExecutionMode.Windowed && window is null && requireWindow)
        {
            window = imported.StaticTimeSteps ?? throw new ConversionException(
                $"{source}: the model runs on windows ({(model.CanStream ? "mode windowed" : "it has a reverse or bidirectional layer")}) but no window length is given; set '{MetadataKeys.Window}' in metadata_props or 'window' in the sidecar.");
        }
        float sampleRate = sidecar?.SampleRateHz ?? Real(props, MetadataKeys.SampleRate, source) ?? 0f;
        if (!float.IsFinite(sampleRate) || sampleRate < 0)
            throw new ConversionException($"{source}: the sample rate is {sampleRate.ToString(CultureInfo.InvariantCulture)} Hz; expected a positive number (or leave it out).");
        return new ModelMetadata(channels, kind, outputNames, mode, window ?? 1, stride, name, IsDefault: !anyGiven, SampleRateHz: sampleRate);
    }

    private static string? Prop(IReadOnlyDictionary<string, string> props, string key) =>
        props.TryGetValue(key, out string? v) && v.Trim().Length > 0 ? v.Trim() : null;

    private static string[]? List(IReadOnlyDictionary<string, string> props, string key, int count, string source, string what)
    {
        if (!props.TryGetValue(key, out string? text)) return null;
        string[] items = [.. text.Split(',').Select(s => s.Trim())];
        if (items.Length != count)
            throw new ConversionException($"{source}: metadata '{key}' lists {items.Length} {what} but the model has {count}.");
        return items;
    }

    private static float[]? Numbers(IReadOnlyDictionary<string, string> props, string key, int count, string source)
    {
        string[]? items = List(props, key, count, source, "values");
        if (items is null) return null;
        var values = new float[count];
        for (int i = 0; i < count; i++)
            if (!float.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new ConversionException($"{source}: metadata '{key}' entry {i + 1} '{items[i]}' is not a number.");
        return values;
    }

    private static int? Integer(IReadOnlyDictionary<string, string> props, string key, string source)
    {
        string? text = Prop(props, key);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ConversionException($"{source}: metadata '{key}' is '{text}'; expected a whole number.");
    }

    private static float? Real(IReadOnlyDictionary<string, string> props, string key, string source)
    {
        string? text = Prop(props, key);
        if (text is null) return null;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v)
            ? v
            : throw new ConversionException($"{source}: metadata '{key}' is '{text}'; expected a number.");
    }

    private static OutputKind? ParseKind(string? text, string source, string key) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "classifier" => OutputKind.Classifier,
        "regressor" => OutputKind.Regressor,
        "forecaster" => OutputKind.Forecaster,
        _ => throw new ConversionException($"{source}: '{key}' is '{text}'; expected classifier, regressor or forecaster."),
    };

    private static ExecutionMode? ParseMode(string? text, string source, string key) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "streaming" or "stateful" => ExecutionMode.Streaming,
        "windowed" => ExecutionMode.Windowed,
        _ => throw new ConversionException($"{source}: '{key}' is '{text}'; expected streaming or windowed."),
    };
}
