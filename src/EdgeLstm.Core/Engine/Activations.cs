using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>Applies an <see cref="ActivationKind"/> in place with the vectorized operators.</summary>
internal static class Activations
{
    public static void Apply(ActivationKind kind, Span<float> x)
    {
        VectorWidth width = Elementwise.BestWidth;
        switch (kind)
        {
            case ActivationKind.Sigmoid: Elementwise.Apply(default(SigmoidOperator), x, width); break;
            case ActivationKind.Tanh: Elementwise.Apply(default(TanhOperator), x, width); break;
            case ActivationKind.Relu: Elementwise.Apply(default(ReluOperator), x, width); break;
            case ActivationKind.Softmax: Softmax(x); break;
            case ActivationKind.None: break;
            default: throw new InvalidOperationException($"unknown activation {kind}");
        }
    }

    /// <summary>destination = gate ⊙ kind(x), in one pass (the LSTM's H = o ⊙ h(C)).</summary>
    public static void ApplyGated(ActivationKind kind, ReadOnlySpan<float> gate, ReadOnlySpan<float> x, Span<float> destination)
    {
        VectorWidth width = Elementwise.BestWidth;
        switch (kind)
        {
            case ActivationKind.Tanh: Elementwise.Apply(default(GatedActivationOperator<TanhOperator>), gate, x, destination, width); break;
            case ActivationKind.Sigmoid: Elementwise.Apply(default(GatedActivationOperator<SigmoidOperator>), gate, x, destination, width); break;
            case ActivationKind.Relu: Elementwise.Apply(default(GatedActivationOperator<ReluOperator>), gate, x, destination, width); break;
            case ActivationKind.None: Elementwise.Apply(default(GatedActivationOperator<IdentityOperator>), gate, x, destination, width); break;
            default: throw new InvalidOperationException($"activation {kind} cannot gate a cell state");
        }
    }

    /// <summary>Clamps to [-limit, limit] when limit &gt; 0 (ONNX <c>clip</c>; 0 means off).</summary>
    public static void Clip(float limit, Span<float> x)
    {
        if (limit > 0) Elementwise.Apply(new ClipOperator(limit), x, Elementwise.BestWidth);
    }

    /// <summary>Softmax with the maximum subtracted first; summed left to right so every platform agrees.</summary>
    private static void Softmax(Span<float> x)
    {
        float max = float.NegativeInfinity;
        foreach (float v in x) max = MathF.Max(max, v);
        for (int i = 0; i < x.Length; i++) x[i] -= max;
        Elementwise.Apply(default(ExpOperator), x, Elementwise.BestWidth);
        float sum = 0;
        foreach (float v in x) sum += v;
        for (int i = 0; i < x.Length; i++) x[i] /= sum;
    }
}
