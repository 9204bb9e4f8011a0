using EdgeLstm.Core;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Inference;

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
    /// Reads the model metadata from ONNX <c>metadata_props</c> (<see cref="MetadataParser"/>). The runtime matches board
    /// channels by name, so the names must be given; ONNX Runtime runs the graph on whole windows, so the model must
    /// say it runs windowed and how long its window is.
    /// </summary>
    /// <exception cref="OnnxModelException">A key is missing or holds a bad value; the message names <paramref name="source"/>.</exception>
    public static ModelMetadata ParseMetadata(IReadOnlyDictionary<string, string> props, int channelCount, int outputCount, string source)
    {
        ModelMetadata meta;
        try
        {
            meta = MetadataParser.Parse(props, ModelMetadata.CreateDefault(channelCount, outputCount));
        }
        catch (InvalidMetadataException e)
        {
            throw new OnnxModelException($"{source}: {e.Message}", e);
        }
        if (!props.ContainsKey(MetadataKeys.Channels))
            throw new OnnxModelException($"{source}: metadata '{MetadataKeys.Channels}' is missing; the runtime matches board channels by these names.");
        if (meta.Mode != ExecutionMode.Windowed)
            throw new OnnxModelException($"{source}: ONNX Runtime runs a .onnx model on whole windows, so its metadata must say '{MetadataKeys.Mode}' = windowed with a '{MetadataKeys.Window}'; convert it to .elstm to stream it.");
        if (!props.ContainsKey(MetadataKeys.Window))
            throw new OnnxModelException($"{source}: metadata '{MetadataKeys.Window}' is missing; ONNX Runtime runs the model on windows of that many samples.");
        return meta;
    }
}
