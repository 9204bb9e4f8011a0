using System.Globalization;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core;
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
    public static ModelMetadata Build(ImportedModel imported, Sidecar? sidecar, string source, string sidecarSource = "sidecar", bool requireWindow = true) =>
        BuildWithExecution(imported, sidecar, null, source, sidecarSource, requireWindow).Metadata;

    /// <summary>
    /// Builds the metadata for <paramref name="imported"/> and says how its execution mode and window were decided
    /// (<see cref="ExecutionResolver"/>).
    /// </summary>
    /// <param name="imported">The imported model (its sizes, fixed time dimension and the ONNX metadata_props).</param>
    /// <param name="sidecar">The sidecar, or null.</param>
    /// <param name="windowOption">The <c>--window</c> value, or null.</param>
    /// <param name="source">Names the ONNX file in errors.</param>
    /// <param name="sidecarSource">Names the sidecar in errors.</param>
    /// <param name="requireWindow">When false, a windowed model without a window length gets the whole sequence (for scoring a CSV).</param>
    /// <exception cref="ConversionException">A key holds a value that does not fit the model, or the window settings contradict the graph or each other.</exception>
    public static (ModelMetadata Metadata, ExecutionSettings Execution) BuildWithExecution(ImportedModel imported, Sidecar? sidecar, int? windowOption,
        string source, string sidecarSource = "sidecar", bool requireWindow = true)
    {
        ArgumentNullException.ThrowIfNull(imported);
        RecurrentModel model = imported.Model;
        IReadOnlyDictionary<string, string> props = imported.MetadataProps;
        int inputs = model.InputSize, outputs = model.OutputSize;
        // metadata_props over the model's defaults (x0.., y0.., Softmax → classifier, streaming if it can), then the sidecar over that.
        ModelMetadata given = Checked(() => MetadataParser.Parse(props, model.Metadata), source);

        if (sidecar?.Channels is { } sc && sc.Count != inputs)
            throw new ConversionException($"{sidecarSource}: 'channels' lists {sc.Count} channels but the model takes {inputs}.");
        var channels = new ChannelInfo[inputs];
        for (int c = 0; c < inputs; c++)
        {
            SidecarChannel? s = sidecar?.Channels?[c];
            ChannelInfo p = given.Channels[c];
            channels[c] = new ChannelInfo(s?.Name ?? p.Name, s?.Unit ?? p.Unit, s?.Mean ?? p.Mean, s?.Std ?? p.Std);
        }
        IReadOnlyList<string> outputNames = sidecar?.Outputs is { } so
            ? (so.Count == outputs ? [.. so] : throw new ConversionException($"{sidecarSource}: 'outputs' lists {so.Count} names but the model produces {outputs}."))
            : given.OutputNames;
        OutputKind kind = sidecar?.OutputKind is { } k ? Checked(() => MetadataParser.ParseOutputKind(k, "outputKind"), sidecarSource) : given.OutputKind;
        ExecutionSettings execution = ExecutionResolver.Resolve(imported, given, sidecar, windowOption, source, sidecarSource, requireWindow);
        float sampleRate = sidecar?.SampleRateHz ?? given.SampleRateHz;
        if (!float.IsFinite(sampleRate) || sampleRate < 0)
            throw new ConversionException($"{sidecarSource}: the sample rate is {sampleRate.ToString(CultureInfo.InvariantCulture)} Hz; expected a positive number (or leave it out).");
        var metadata = new ModelMetadata(channels, kind, outputNames, execution.Mode, execution.Window ?? 1, execution.Stride, sidecar?.Name ?? given.Name,
            IsDefault: sidecar is null && given.IsDefault, SampleRateHz: sampleRate);
        return (metadata, execution);
    }

    /// <summary>Runs the shared parser; its error becomes the converter's, prefixed with the file it came from.</summary>
    private static T Checked<T>(Func<T> parse, string source)
    {
        try
        {
            return parse();
        }
        catch (InvalidMetadataException e)
        {
            throw new ConversionException($"{source}: {e.Message}", e);
        }
    }
}
