using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// A float32 LSTM direction with the default activations and no peepholes run by <see cref="FusedFloatLstm"/>: the
/// input projection W·x as its own batched pass (all of a window's steps at once), then per step one pass that adds
/// R·h and the bias and one for the cell update. Agrees with <see cref="GeneralCell"/> to rounding (both use
/// fused multiply–add in width-dependent order).
/// </summary>
internal sealed class FusedFloatLstmCell : RecurrentCell
{
    private readonly PackedFloatLstm _lstm;
    private readonly FloatPath _path;
    private float[] _projection = [];

    public FusedFloatLstmCell(RecurrentLayer layer, int direction, FloatPath path) : base(layer.Directions[direction])
    {
        if (!Supports(layer, direction)) throw new ArgumentException("the fused float32 cell runs float32 LSTMs with default activations and no peepholes");
        DirectionWeights weights = layer.Directions[direction];
        _lstm = new PackedFloatLstm(weights.W, weights.R, CombinedBias(weights), layer.HiddenSize, layer.Clip);
        _path = path;
        EnsureCapacity(1);
    }

    /// <summary>True for a float32 LSTM direction with activations (σ, tanh, tanh) and no peepholes.</summary>
    public static bool Supports(RecurrentLayer layer, int direction) => layer.IsPlainLstm(direction, ModelPrecision.Float32);

    public override void Step(ReadOnlySpan<float> x, Span<float> h, Span<float> c)
    {
        Span<float> gates = _projection.AsSpan(0, _lstm.ProjectionLength);
        FusedFloatLstm.ProjectInputs(_path, _lstm, x, 1, gates);
        FusedFloatLstm.Recur(_path, _lstm, gates, h, c);
    }

    protected override void BeginSequence(ReadOnlySpan<float> inputs, int steps, int inputWidth)
    {
        EnsureCapacity(steps);
        FusedFloatLstm.ProjectInputs(_path, _lstm, inputs[..(steps * inputWidth)], steps, _projection);
    }

    protected override void StepInSequence(ReadOnlySpan<float> x, int t, int order, Span<float> h, Span<float> c) =>
        FusedFloatLstm.Recur(_path, _lstm, _projection.AsSpan(t * _lstm.ProjectionLength, _lstm.ProjectionLength), h, c);

    public override void EnsureCapacity(int steps)
    {
        int length = checked(steps * _lstm.ProjectionLength); // bounded by the Predictor (ModelLimits.MaxWindowValues)
        if (length > _projection.Length)
            _projection = new float[length];
    }
}
