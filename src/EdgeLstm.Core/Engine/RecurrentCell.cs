using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// One direction of one recurrent layer: advances (h, c) by one time step with the ONNX LSTM or GRU
/// equations. <see cref="Create"/> picks the fused int8 LSTM where it applies and the general cell otherwise.
/// </summary>
internal abstract class RecurrentCell
{
    protected RecurrentCell(DirectionWeights weights)
    {
        InitialHidden = weights.InitialHidden;
        InitialCell = weights.InitialCell;
    }

    /// <summary>The model's initial hidden state, or null for zeros.</summary>
    public float[]? InitialHidden { get; }

    /// <summary>The model's initial cell state, or null for zeros.</summary>
    public float[]? InitialCell { get; }

    /// <summary>
    /// The cell for one direction: when <paramref name="allowFused"/> and the layer is a plain LSTM (default
    /// activations, no peepholes), <see cref="FusedInt8LstmCell"/> or <see cref="FusedFloatLstmCell"/> if the CPU has
    /// a vector path for it (int8: every ARM64 CPU, x64 with SSSE3, i.e. every x86-64-v2 one; float32: any 128-bit vectors), else
    /// <see cref="GeneralCell"/>.
    /// </summary>
    public static RecurrentCell Create(RecurrentLayer layer, int direction, bool allowFused = true)
    {
        if (allowFused && FusedInt8Lstm.BestPath != Int8Path.Scalar && FusedInt8LstmCell.Supports(layer, direction))
            return new FusedInt8LstmCell(layer, direction, FusedInt8Lstm.BestPath);
        if (allowFused && FusedFloatLstm.BestPath != FloatPath.Scalar && FusedFloatLstmCell.Supports(layer, direction))
            return new FusedFloatLstmCell(layer, direction, FusedFloatLstm.BestPath);
        return new GeneralCell(layer, direction);
    }

    /// <summary>Wb + Rb: an LSTM adds both biases to every gate at every step, so the cells add them once, here.</summary>
    protected static float[] CombinedBias(DirectionWeights weights)
    {
        var bias = new float[weights.InputBias.Length];
        SpanMath.Add(weights.InputBias, weights.RecurrenceBias, bias);
        return bias;
    }

    /// <summary>Writes the initial state into <paramref name="h"/> and <paramref name="c"/>.</summary>
    public void ResetState(Span<float> h, Span<float> c)
    {
        if (InitialHidden is null) h.Clear(); else InitialHidden.CopyTo(h);
        if (InitialCell is null) c.Clear(); else InitialCell.CopyTo(c);
    }

    /// <summary>Advances the state by one time step with input <paramref name="x"/>.</summary>
    public abstract void Step(ReadOnlySpan<float> x, Span<float> h, Span<float> c);

    /// <summary>Prepares for sequences of up to <paramref name="steps"/> steps, so <see cref="Run"/> need not allocate.</summary>
    public virtual void EnsureCapacity(int steps)
    {
    }

    /// <summary>
    /// Runs a whole sequence from the state in (h, c): step t reads inputs[t·inputWidth ..] (in reverse order
    /// when <paramref name="reverse"/>) and writes its h to outputs[t·outputWidth + outputOffset ..].
    /// </summary>
    public void Run(ReadOnlySpan<float> inputs, int steps, int inputWidth, bool reverse,
        Span<float> h, Span<float> c, Span<float> outputs, int outputWidth, int outputOffset)
    {
        BeginSequence(inputs, steps, inputWidth);
        for (int s = 0; s < steps; s++)
        {
            int t = reverse ? steps - 1 - s : s;
            StepInSequence(inputs.Slice(t * inputWidth, inputWidth), t, s, h, c);
            h.CopyTo(outputs.Slice(t * outputWidth + outputOffset, h.Length));
        }
    }

    /// <summary>Called once before a sequence's steps: cells that batch the input projection compute it here.</summary>
    protected virtual void BeginSequence(ReadOnlySpan<float> inputs, int steps, int inputWidth)
    {
    }

    /// <summary>
    /// Step <paramref name="t"/> of the sequence, the <paramref name="order"/>-th one run, with input <paramref name="x"/>.
    /// The default is <see cref="Step"/>; cells that projected the inputs in <see cref="BeginSequence"/> read row t.
    /// </summary>
    protected virtual void StepInSequence(ReadOnlySpan<float> x, int t, int order, Span<float> h, Span<float> c) => Step(x, h, c);
}
