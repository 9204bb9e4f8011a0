using System.Globalization;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Metadata;

/// <summary>Where a model's window length came from.</summary>
public enum WindowSource
{
    /// <summary>No window length was given (a streaming model, or a windowed one being scored on a whole CSV).</summary>
    None,

    /// <summary>The ONNX graph's input has a fixed time dimension: the graph runs on windows of exactly that length.</summary>
    GraphInput,

    /// <summary><c>edgelstm.window</c> in the ONNX <c>metadata_props</c>.</summary>
    MetadataProps,

    /// <summary><c>window</c> in the sidecar JSON.</summary>
    Sidecar,

    /// <summary><c>convert --window</c>.</summary>
    CommandLine,
}

/// <summary>
/// How a converted model runs — streaming, or on windows of one length every stride samples — and where the window
/// length came from, so <c>convert</c> and <c>info</c> can say why.
/// </summary>
/// <param name="Mode">Streaming or windowed.</param>
/// <param name="Window">Samples per window; null when none was given.</param>
/// <param name="Stride">Samples between windows.</param>
/// <param name="Source">Where <see cref="Window"/> came from.</param>
/// <param name="SourceText">The same for people, e.g. <c>the graph's input shape (input 'x' [unk__3, 8, 6] fixes the time dimension)</c>.</param>
/// <param name="Notes">Values that were given but overridden, one sentence each.</param>
public sealed record ExecutionSettings(ExecutionMode Mode, int? Window, int Stride, WindowSource Source, string SourceText,
    IReadOnlyList<string> Notes)
{
    /// <summary>One line, e.g. <c>windowed, window 8 (from the graph's input shape …), stride 1</c> or <c>streaming (state carried)</c>.</summary>
    public string Describe()
    {
        if (Mode == ExecutionMode.Streaming) return "streaming (state carried)";
        string stride = Stride.ToString(CultureInfo.InvariantCulture);
        return Window is int w
            ? $"windowed, window {w.ToString(CultureInfo.InvariantCulture)} (from {SourceText}), stride {stride}"
            : $"windowed, no window length given (a CSV is scored as one window; convert needs --window), stride {stride}";
    }
}
