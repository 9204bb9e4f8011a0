using System.Globalization;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Pipeline;

namespace EdgeLstm.Runtime.Onnx;

/// <summary>A .onnx model cannot run here; the message says why and what to do.</summary>
internal sealed class OnnxModelException : Exception
{
    public OnnxModelException(string message) : base(message) { }

    public OnnxModelException(string message, Exception inner) : base(message, inner) { }

    public OnnxModelException() { }
}

/// <summary>
/// Loads .onnx models for the optional ONNX Runtime backend (builds published with
/// <c>EdgeLstmOnnxRuntime=true</c>, i.e. <c>publish-arm64.ps1 -WithOnnxRuntime</c>). The default trimmed build
/// carries no ONNX Runtime and says so.
/// </summary>
internal static class OnnxModels
{
    /// <summary>True when this build carries ONNX Runtime.</summary>
    public static bool Available =>
#if EDGELSTM_ONNXRUNTIME
        true;
#else
        false;
#endif

    /// <summary>Loads a .onnx model with its <c>edgelstm.*</c> metadata.</summary>
    /// <exception cref="OnnxModelException">No ONNX Runtime in this build, or the model cannot run on windows.</exception>
    public static RuntimeModel Load(string path)
    {
#if EDGELSTM_ONNXRUNTIME
        return OnnxRuntimeEngine.Load(path);
#else
        throw new OnnxModelException(
            $"this edgelstm was built without ONNX Runtime, so it cannot run '{Path.GetFileName(path)}'. Convert the model with edgelstm-convert, or publish with -WithOnnxRuntime (MSBuild property EdgeLstmOnnxRuntime=true).");
#endif
    }

    /// <summary>
    /// Reads the model metadata from ONNX <c>metadata_props</c> (<see cref="MetadataKeys"/>). ONNX Runtime runs the
    /// graph on whole windows, so the model must say it runs windowed and how long its window is.
    /// </summary>
    public static ModelMetadata ParseMetadata(IReadOnlyDictionary<string, string> props, int outputCount, string source)
    {
        string[] names = List(props, MetadataKeys.Channels, source)
            ?? throw new OnnxModelException($"{source}: metadata '{MetadataKeys.Channels}' is missing; the runtime matches board channels by these names.");
        int count = names.Length;
        string[] units = List(props, MetadataKeys.Units, source, count) ?? new string[count].Select(_ => "").ToArray();
        float[] mean = Numbers(props, MetadataKeys.Mean, source, count) ?? new float[count];
        float[] std = Numbers(props, MetadataKeys.Std, source, count) ?? Enumerable.Repeat(1f, count).ToArray();
        string[] outputs = List(props, MetadataKeys.Outputs, source, outputCount) ?? Enumerable.Range(0, outputCount).Select(i => $"y{i}").ToArray();
        OutputKind kind = Value(props, MetadataKeys.OutputKind) switch
        {
            null or "regressor" => OutputKind.Regressor,
            "classifier" => OutputKind.Classifier,
            "forecaster" => OutputKind.Forecaster,
            string other => throw new OnnxModelException($"{source}: metadata '{MetadataKeys.OutputKind}' is '{other}'; expected classifier, regressor or forecaster."),
        };
        if (Value(props, MetadataKeys.Mode) != "windowed")
            throw new OnnxModelException($"{source}: ONNX Runtime runs a .onnx model on whole windows, so its metadata must say '{MetadataKeys.Mode}' = windowed with a '{MetadataKeys.Window}'; convert it to .elstm to stream it.");
        int window = Integer(props, MetadataKeys.Window, source) ?? throw new OnnxModelException($"{source}: metadata '{MetadataKeys.Window}' is missing.");
        int stride = Integer(props, MetadataKeys.Stride, source) ?? 1;
        float rate = Value(props, MetadataKeys.SampleRate) is { } r && float.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out float hz) ? hz : 0f;
        var channels = new ChannelInfo[count];
        for (int i = 0; i < count; i++) channels[i] = new ChannelInfo(names[i], units[i], mean[i], std[i]);
        return new ModelMetadata(channels, kind, outputs, ExecutionMode.Windowed, window, stride, Value(props, MetadataKeys.Name) ?? "", SampleRateHz: rate);
    }

    private static string? Value(IReadOnlyDictionary<string, string> props, string key) =>
        props.TryGetValue(key, out string? v) && v.Trim().Length > 0 ? v.Trim() : null;

    private static string[]? List(IReadOnlyDictionary<string, string> props, string key, string source, int? count = null)
    {
        if (Value(props, key) is not { } text) return null;
        string[] items = [.. text.Split(',').Select(s => s.Trim())];
        if (count is { } n && items.Length != n)
            throw new OnnxModelException($"{source}: metadata '{key}' lists {items.Length} entries; expected {n}.");
        return items;
    }

    private static float[]? Numbers(IReadOnlyDictionary<string, string> props, string key, string source, int count)
    {
        string[]? items = List(props, key, source, count);
        return items?.Select((t, i) => float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float v)
            ? v : throw new OnnxModelException($"{source}: metadata '{key}' entry {i + 1} '{t}' is not a number.")).ToArray();
    }

    private static int? Integer(IReadOnlyDictionary<string, string> props, string key, string source) =>
        Value(props, key) is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
        : throw new OnnxModelException($"{source}: metadata '{key}' is '{text}'; expected a positive whole number.");
}
