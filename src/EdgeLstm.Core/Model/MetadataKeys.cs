namespace EdgeLstm.Core.Model;

/// <summary>
/// The ONNX <c>metadata_props</c> keys that describe a model to EdgeLstm (documented in docs/convert.md): the
/// converter reads them into the .elstm metadata, and a runtime built with ONNX Runtime reads them from a .onnx file.
/// </summary>
public static class MetadataKeys
{
    /// <summary>A human-readable model name.</summary>
    public const string Name = "edgelstm.name";

    /// <summary>Comma-separated channel names, in model input order.</summary>
    public const string Channels = "edgelstm.channels";

    /// <summary>Comma-separated units, one per channel (may be empty entries).</summary>
    public const string Units = "edgelstm.units";

    /// <summary>Comma-separated per-channel means the model was trained with.</summary>
    public const string Mean = "edgelstm.mean";

    /// <summary>Comma-separated per-channel standard deviations (positive).</summary>
    public const string Std = "edgelstm.std";

    /// <summary>Comma-separated output names: class labels or target names.</summary>
    public const string Outputs = "edgelstm.outputs";

    /// <summary><c>classifier</c>, <c>regressor</c> or <c>forecaster</c>.</summary>
    public const string OutputKind = "edgelstm.output_kind";

    /// <summary><c>streaming</c> (state carried) or <c>windowed</c>.</summary>
    public const string Mode = "edgelstm.mode";

    /// <summary>Samples per window (windowed mode).</summary>
    public const string Window = "edgelstm.window";

    /// <summary>Samples between windows (windowed mode).</summary>
    public const string Stride = "edgelstm.stride";

    /// <summary>The sample rate in Hz the model was trained at (the runtime refuses a board sampling at another rate).</summary>
    public const string SampleRate = "edgelstm.sample_rate_hz";

    /// <summary>Every key, for listing unknown ones.</summary>
    public static IReadOnlyList<string> All { get; } = [Name, Channels, Units, Mean, Std, Outputs, OutputKind, Mode, Window, Stride, SampleRate];
}
