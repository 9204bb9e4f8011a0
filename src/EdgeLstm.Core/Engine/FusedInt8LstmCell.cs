using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// An int8 LSTM direction with the default activations and no peepholes (what PyTorch and Keras export)
/// run by <see cref="FusedInt8Lstm"/>: the input projection W·x as its own batched pass (all of a window's
/// steps at once), then per step one pass that adds R·h and the bias to the gates and one for the whole cell
/// update. Gives the same bits as <see cref="GeneralCell"/> on the same model.
/// </summary>
internal sealed class FusedInt8LstmCell : RecurrentCell
{
    private readonly PackedInt8Lstm _lstm;
    private readonly Int8Path _path;
    private readonly sbyte[] _hidden;
    private readonly byte[] _hiddenBiased;
    private sbyte[] _inputs = [];
    private byte[] _inputsBiased = [];
    private float[] _inputScales = [];
    private float[] _projection = [];

    public FusedInt8LstmCell(RecurrentLayer layer, int direction, Int8Path path) : base(layer.Directions[direction])
    {
        if (!Supports(layer, direction)) throw new ArgumentException("the fused cell runs int8 LSTMs with default activations and no peepholes");
        DirectionWeights weights = layer.Directions[direction];
        _lstm = new PackedInt8Lstm(weights.W, weights.R, CombinedBias(weights), layer.HiddenSize, layer.Clip);
        _path = path;
        _hidden = new sbyte[_lstm.HiddenStride];
        _hiddenBiased = new byte[_lstm.HiddenStride];
        _hiddenBiased.AsSpan().Fill(128);
        EnsureCapacity(1);
    }

    /// <summary>True for an int8 LSTM direction with activations (σ, tanh, tanh) and no peepholes.</summary>
    public static bool Supports(RecurrentLayer layer, int direction) => layer.IsPlainLstm(direction, ModelPrecision.Int8);

    public override void Step(ReadOnlySpan<float> x, Span<float> h, Span<float> c)
    {
        QuantizeInputs(x, 1, x.Length);
        RecurFrom(0, h, c);
    }

    protected override void BeginSequence(ReadOnlySpan<float> inputs, int steps, int inputWidth)
    {
        EnsureCapacity(steps);
        QuantizeInputs(inputs, steps, inputWidth);
    }

    protected override void StepInSequence(ReadOnlySpan<float> x, int t, int order, Span<float> h, Span<float> c) =>
        RecurFrom(t, h, c, backwards: order % 2 == 1);

    /// <summary>Quantizes each step's input (one scale per step, as the general cell does) and projects them all.</summary>
    private void QuantizeInputs(ReadOnlySpan<float> inputs, int steps, int inputWidth)
    {
        int stride = _lstm.InputStride;
        for (int t = 0; t < steps; t++)
        {
            _inputScales[t] = Elementwise.Quantize(inputs.Slice(t * inputWidth, inputWidth),
                _inputs.AsSpan(t * stride, stride), _inputsBiased.AsSpan(t * stride, stride), Elementwise.BestWidth);
        }

        FusedInt8Lstm.ProjectInputs(_path, _lstm, _inputs, _inputsBiased, _inputScales, steps, _projection);
    }

    /// <summary>One step from the projected input of step <paramref name="step"/> (consumed: it becomes the gates).</summary>
    private void RecurFrom(int step, Span<float> h, Span<float> c, bool backwards = false)
    {
        float hiddenScale = Elementwise.Quantize(h, _hidden, _hiddenBiased, Elementwise.BestWidth);
        FusedInt8Lstm.Recur(_path, _lstm, _projection.AsSpan(step * _lstm.ProjectionLength, _lstm.ProjectionLength),
            _hidden, _hiddenBiased, hiddenScale, h, c, backwards);
    }

    /// <summary>Grows the per-step buffers; padded input bytes stay 0 (128 biased) for good.</summary>
    public override void EnsureCapacity(int steps)
    {
        if (steps <= _inputScales.Length) return;
        // checked: the Predictor bounds steps × width (ModelLimits.MaxWindowValues), so this never throws in practice.
        _inputs = new sbyte[checked(steps * _lstm.InputStride)];
        _inputsBiased = new byte[checked(steps * _lstm.InputStride)];
        _inputsBiased.AsSpan().Fill(128);
        _inputScales = new float[steps];
        _projection = new float[checked(steps * _lstm.ProjectionLength)];
    }
}
