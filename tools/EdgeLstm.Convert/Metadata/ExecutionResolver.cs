using System.Globalization;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Metadata;

/// <summary>
/// Decides how a model runs (streaming or windowed), its window length and stride, from the graph, the ONNX
/// <c>metadata_props</c>, the sidecar and <c>convert --window</c>:
/// <list type="bullet">
/// <item>A fixed time dimension in the graph's input is the window: ONNX Runtime runs the graph on no other length.
/// Metadata that asks for streaming or for another window is an error naming both.</item>
/// <item>Otherwise the window is <c>--window</c>, else the sidecar's, else <c>edgelstm.window</c> (a value given on the
/// command line wins, with a note when it replaces another). <c>--window</c> makes the model windowed; metadata that
/// says <c>streaming</c> beside it is an error.</item>
/// <item>The mode is the sidecar's, else <c>edgelstm.mode</c>, else streaming for forward-only models and windowed
/// for models with a reverse or bidirectional layer.</item>
/// </list>
/// </summary>
public static class ExecutionResolver
{
    /// <summary>Resolves the execution settings of <paramref name="imported"/>.</summary>
    /// <param name="imported">The imported graph (its fixed time dimension, whether it can stream, its metadata_props).</param>
    /// <param name="given">The metadata_props parsed over the model's defaults.</param>
    /// <param name="sidecar">The sidecar, or null.</param>
    /// <param name="windowOption">The <c>--window</c> value, or null.</param>
    /// <param name="source">Names the ONNX file in errors.</param>
    /// <param name="sidecarSource">Names the sidecar in errors.</param>
    /// <param name="requireWindow">When false, a windowed model may stay without a window length (for scoring a CSV).</param>
    /// <exception cref="ConversionException">The settings contradict the graph or each other, or a windowed model has no window.</exception>
    public static ExecutionSettings Resolve(ImportedModel imported, ModelMetadata given, Sidecar? sidecar, int? windowOption,
        string source, string sidecarSource, bool requireWindow)
    {
        ArgumentNullException.ThrowIfNull(imported);
        ArgumentNullException.ThrowIfNull(given);
        IReadOnlyDictionary<string, string> props = imported.MetadataProps;
        int stride = sidecar?.Stride ?? given.Stride;
        (ExecutionMode Mode, string Where)? askedMode =
            sidecar?.Mode is { } m ? (Parsed(m, sidecarSource), $"{sidecarSource} 'mode'")
            : props.ContainsKey(MetadataKeys.Mode) ? (given.Mode, $"metadata_props '{MetadataKeys.Mode}'")
            : null;
        // Highest precedence first: the command line, the sidecar, the ONNX metadata_props.
        var windows = new List<(int Window, WindowSource Source, string Where)>();
        if (windowOption is { } o) windows.Add((o, WindowSource.CommandLine, "--window"));
        if (sidecar?.Window is { } s) windows.Add((s, WindowSource.Sidecar, $"{sidecarSource} 'window'"));
        if (props.ContainsKey(MetadataKeys.Window)) windows.Add((given.WindowLength, WindowSource.MetadataProps, $"metadata_props '{MetadataKeys.Window}'"));
        (int Window, WindowSource Source, string Where)? asked = windows.Count > 0 ? windows[0] : null;
        // A command-line value silently replacing a file's is a surprise; the sidecar over metadata_props is the documented rule.
        string[] notes = windowOption is int chosenOption
            ? [.. windows.Skip(1).Where(w => w.Window != chosenOption).Select(w => $"--window {Text(chosenOption)} overrides the window of {Text(w.Window)} in {w.Where}")]
            : [];

        if (imported.StaticTimeSteps is int fixedSteps)
        {
            string fixes = $"{source}: {imported.InputText} fixes the time dimension at {Text(fixedSteps)} steps";
            if (askedMode is { Mode: ExecutionMode.Streaming } streaming)
                throw new ConversionException($"{fixes}, so the graph runs only on windows of {Text(fixedSteps)} steps, but {streaming.Where} asks for 'streaming'; remove it, or export the model with a dynamic time dimension.");
            if (asked is { } w && w.Window != fixedSteps)
                throw new ConversionException($"{fixes}, but {w.Where} asks for windows of {Text(w.Window)}; the graph runs only on windows of {Text(fixedSteps)} steps (drop that window, or export the model with a dynamic time dimension).");
            return new ExecutionSettings(ExecutionMode.Windowed, fixedSteps, stride, WindowSource.GraphInput,
                $"the graph's input shape: {imported.InputText} fixes the time dimension", notes);
        }

        if (asked is { Source: WindowSource.CommandLine } option && askedMode is { Mode: ExecutionMode.Streaming } stream)
            throw new ConversionException($"{source}: --window {Text(option.Window)} runs the model on windows of {Text(option.Window)} steps, but {stream.Where} sets mode 'streaming'; drop one of them.");
        ExecutionMode mode = askedMode?.Mode
            ?? (asked is { Source: WindowSource.CommandLine } ? ExecutionMode.Windowed : imported.Model.Metadata.Mode);
        if (mode == ExecutionMode.Windowed && asked is null && requireWindow)
        {
            throw new ConversionException(
                $"{source}: the model runs on windows ({(imported.Model.CanStream ? "mode windowed" : "it has a reverse or bidirectional layer")}) but no window length is given; pass --window, or set '{MetadataKeys.Window}' in metadata_props or 'window' in the sidecar.");
        }

        return asked is { } chosen
            ? new ExecutionSettings(mode, chosen.Window, stride, chosen.Source, chosen.Where, notes)
            : new ExecutionSettings(mode, null, stride, WindowSource.None, "", notes);
    }

    private static ExecutionMode Parsed(string mode, string sidecarSource)
    {
        try
        {
            return MetadataParser.ParseMode(mode, "mode");
        }
        catch (InvalidMetadataException e)
        {
            throw new ConversionException($"{sidecarSource}: {e.Message}", e);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
