using EdgeLstm.Runtime.Inference;

#if EDGELSTM_ONNXRUNTIME
using EdgeLstm.Runtime.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace EdgeLstm.Runtime.Onnx;

/// <summary>
/// Runs a .onnx recurrent model through ONNX Runtime on whole windows: the window is copied into a pinned input
/// tensor bound once with <see cref="OrtIoBinding"/>, so a call allocates no managed memory. One thread
/// (<c>IntraOpNumThreads = 1</c>): sampling owns the other core.
/// </summary>
internal sealed class OnnxRuntimeEngine : IInferenceEngine
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _input;
    private readonly OrtValue _outputValue;
    private readonly float[] _inputData;
    private readonly float[] _outputData;

    private OnnxRuntimeEngine(InferenceSession session, string inputName, long[] inputShape, string outputName, int outputSize)
    {
        _session = session;
        _inputData = new float[inputShape.Aggregate(1L, (a, b) => a * b)];
        _outputData = new float[outputSize];
        _input = OrtValue.CreateTensorValueFromMemory(_inputData, inputShape);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_outputData, [1, outputSize]);
        _binding = session.CreateIoBinding();
        _binding.BindInput(inputName, _input);
        _binding.BindOutput(outputName, _outputValue);
    }

    /// <summary>Loads the model and its metadata.</summary>
    public static RuntimeModel Load(string path)
    {
        InferenceSession session;
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxModelException($"ONNX Runtime cannot load it: {e.Message}", e);
        }
        try
        {
            string source = Path.GetFileName(path);
            if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
            {
                throw new OnnxModelException(
                    $"{source}: the graph has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}) and {session.OutputMetadata.Count} outputs; the runtime feeds one input [time, batch, channels] and reads the first output.");
            }

            (string inputName, NodeMetadata input) = session.InputMetadata.Single();
            (string outputName, NodeMetadata output) = session.OutputMetadata.First();
            int[] inDims = input.Dimensions, outDims = output.Dimensions;
            int outputSize = outDims.Length > 0 ? outDims[^1] : -1;
            if (inDims.Length != 3 || inDims[^1] <= 0 || outputSize <= 0)
                throw new OnnxModelException($"{source}: expected one input [time, batch, channels] or [batch, time, channels] and an output [batch, outputs]; got [{string.Join(", ", inDims)}] and [{string.Join(", ", outDims)}].");
            var meta = OnnxModels.ParseMetadata(session.ModelMetadata.CustomMetadataMap, inDims[^1], outputSize, source);
            // With one sequence, [T, 1, I] and [1, T, I] hold the same bytes: only the shape differs.
            bool batchFirst = inDims[0] == 1 && inDims[1] != 1;
            long[] shape = batchFirst ? [1, meta.WindowLength, inDims[^1]] : [meta.WindowLength, 1, inDims[^1]];
            int fixedTime = batchFirst ? inDims[1] : inDims[0];
            if (fixedTime > 0 && fixedTime != meta.WindowLength)
                throw new OnnxModelException($"{source}: the graph takes {fixedTime} time steps but the metadata window is {meta.WindowLength}.");
            return new RuntimeModel(meta, CanStream: false, "ONNX Runtime", _ => new OnnxRuntimeEngine(session, inputName, shape, outputName, outputSize));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public int OutputSize => _outputData.Length;

    public void Step(ReadOnlySpan<float> sample, Span<float> output) =>
        throw new InvalidOperationException("ONNX Runtime runs this model on windows only.");

    public void RunWindow(ReadOnlySpan<float> window, Span<float> output)
    {
        window.CopyTo(_inputData);
        _session.RunWithBinding(_runOptions, _binding);
        _outputData.CopyTo(output);
    }

    public void Reset() { }

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
#endif
