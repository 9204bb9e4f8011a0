using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>
/// The four engines the comparison benchmarks run, built from one random float32 model: EdgeLstm float32 and int8,
/// ONNX Runtime float32 <c>LSTM</c> and int8 <c>DynamicQuantizeLSTM</c>. 8 inputs, 2 layers, 4-class softmax head.
/// </summary>
public sealed class EngineSet : IDisposable
{
    /// <summary>Input channels.</summary>
    public const int Inputs = 8;

    /// <summary>Stacked LSTM layers.</summary>
    public const int Layers = 2;

    /// <summary>Classes of the softmax head.</summary>
    public const int Classes = 4;

    /// <summary>Creates the engines for hidden size <paramref name="hidden"/>; windows hold <paramref name="windowLength"/> steps.</summary>
    public EngineSet(int hidden, int windowLength)
    {
        Model = BenchmarkModels.Lstm(Inputs, hidden, Layers, Classes);
        EdgeFloat32 = new Predictor(Model, windowLength);
        EdgeInt8Model = Model.Quantize();
        WindowLength = windowLength;
        EdgeInt8 = new Predictor(EdgeInt8Model, windowLength);
        OrtFloat32 = new OrtLstm(Model, OnnxLstmFlavor.Float32, windowLength);
        OrtInt8 = new OrtLstm(Model, OnnxLstmFlavor.DynamicQuantizeInt8, windowLength);
        var random = new Random(7);
        Window = new float[windowLength * Inputs];
        for (int i = 0; i < Window.Length; i++) Window[i] = (float)(random.NextDouble() * 2 - 1);
    }

    /// <summary>The float32 model all four engines run.</summary>
    public RecurrentModel Model { get; }

    /// <summary>The model quantized, as EdgeLstm int8 runs it.</summary>
    public RecurrentModel EdgeInt8Model { get; }

    /// <summary>Steps of <see cref="Window"/>.</summary>
    public int WindowLength { get; }

    /// <summary>EdgeLstm, float32 weights.</summary>
    public Predictor EdgeFloat32 { get; }

    /// <summary>EdgeLstm, int8 weights (<see cref="RecurrentModel.Quantize"/>).</summary>
    public Predictor EdgeInt8 { get; }

    /// <summary>
    /// EdgeLstm int8 with its LSTM cells forced onto one fused kernel <paramref name="path"/> (this CPU must have it), so one
    /// machine measures the paths other CPUs would pick; null when the fused kernel has no such path. The int8 head's
    /// small matvec (4 × H) stays on this CPU's best path.
    /// </summary>
    internal Predictor? EdgeInt8On(Int8Path path) =>
        Int8Paths.Supported.Contains(path) && FusedInt8Lstm.Implements(path)
            ? new Predictor(EdgeInt8Model, WindowLength, (layer, direction) => FusedInt8LstmCell.Supports(layer, direction)
                ? new FusedInt8LstmCell(layer, direction, path) : RecurrentCell.Create(layer, direction))
            : null;

    /// <summary>ONNX Runtime, float32 <c>LSTM</c>.</summary>
    public OrtLstm OrtFloat32 { get; }

    /// <summary>ONNX Runtime, <c>com.microsoft.DynamicQuantizeLSTM</c>.</summary>
    public OrtLstm OrtInt8 { get; }

    /// <summary>A random input window, T × <see cref="Inputs"/>; its first row is the streaming sample.</summary>
    public float[] Window { get; }

    /// <summary>
    /// Runs every engine on the same inputs (a stream of the window's rows, then the whole window) and returns the largest
    /// absolute output difference of each against EdgeLstm float32, and the spread (max − min) of the reference outputs. Throws if ORT float32 differs by more than 1e-4,
    /// which would mean the two graphs do not compute the same thing. Resets the streaming state.
    /// </summary>
    public (float OrtFloat32, float OrtInt8, float EdgeInt8, float Spread) Check()
    {
        float ortFloat = 0, ortInt8 = 0, edgeInt8 = 0;
        // How much the reference output moves over the stream: differences only mean something against it.
        float low = float.MaxValue, high = float.MinValue;
        Span<float> reference = stackalloc float[Classes], other = stackalloc float[Classes];
        ResetAll();
        for (int t = 0; t < Window.Length / Inputs; t++)
        {
            ReadOnlySpan<float> sample = Window.AsSpan(t * Inputs, Inputs);
            EdgeFloat32.Step(sample, reference);
            foreach (float v in reference) { low = MathF.Min(low, v); high = MathF.Max(high, v); }
            OrtFloat32.Step(sample, other); ortFloat = MathF.Max(ortFloat, MaxDiff(reference, other));
            OrtInt8.Step(sample, other); ortInt8 = MathF.Max(ortInt8, MaxDiff(reference, other));
            EdgeInt8.Step(sample, other); edgeInt8 = MathF.Max(edgeInt8, MaxDiff(reference, other));
        }
        EdgeFloat32.RunWindow(Window, reference);
        OrtFloat32.RunWindow(Window, other); ortFloat = MathF.Max(ortFloat, MaxDiff(reference, other));
        OrtInt8.RunWindow(Window, other); ortInt8 = MathF.Max(ortInt8, MaxDiff(reference, other));
        EdgeInt8.RunWindow(Window, other); edgeInt8 = MathF.Max(edgeInt8, MaxDiff(reference, other));
        ResetAll();
        if (!(ortFloat <= 1e-4f))
            throw new InvalidOperationException($"ONNX Runtime float32 and EdgeLstm float32 disagree by {ortFloat} (> 1e-4) at H = {Model.Layers[0].HiddenSize}.");
        return (ortFloat, ortInt8, edgeInt8, high - low);
    }

    private void ResetAll()
    {
        EdgeFloat32.Reset();
        EdgeInt8.Reset();
        OrtFloat32.Reset();
        OrtInt8.Reset();
    }

    private static float MaxDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        return max;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        OrtFloat32.Dispose();
        OrtInt8.Dispose();
    }
}
