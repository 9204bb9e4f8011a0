using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// e^x by range reduction x = n·ln2 + r and a degree-6 polynomial for e^r (the Cephes <c>expf</c>
/// coefficients), with 2^n built in the exponent bits. Relative error ≈ 1e-7 on [-87, 88]; inputs outside
/// are clamped (e^-87 ≈ 1.6e-38, e^88 ≈ 1.65e38). After the clamp n lies in [-126, 127], so the vector
/// paths use the native float→int conversion: no saturation fix-ups are needed (they cost ~4 instructions on x64).
/// </summary>
internal readonly struct ExpOperator : IUnaryOperator
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Min = -87.0f;
    private const float Max = 88.0f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    public float Invoke(float x)
    {
        x = MathF.Min(MathF.Max(x, Min), Max);
        float n = MathF.Round(x * Log2E);
        float r = x - n * Ln2High - n * Ln2Low;
        float p = (((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5) * (r * r) + r + 1f;
        return p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    public Vector128<float> Invoke(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(Min)), Vector128.Create(Max));
        Vector128<float> n = Vector128.Round(x * Vector128.Create(Log2E));
        Vector128<float> r = x - n * Vector128.Create(Ln2High) - n * Vector128.Create(Ln2Low);
        Vector128<float> p = Vector128.Create(P0) * r + Vector128.Create(P1);
        p = p * r + Vector128.Create(P2);
        p = p * r + Vector128.Create(P3);
        p = p * r + Vector128.Create(P4);
        p = p * r + Vector128.Create(P5);
        p = p * (r * r) + r + Vector128<float>.One;
        Vector128<int> bits = (Vector128.ConvertToInt32Native(n) + Vector128.Create(127)) << 23;
        return p * bits.AsSingle();
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Min)), Vector256.Create(Max));
        Vector256<float> n = Vector256.Round(x * Vector256.Create(Log2E));
        Vector256<float> r = x - n * Vector256.Create(Ln2High) - n * Vector256.Create(Ln2Low);
        Vector256<float> p = Vector256.Create(P0) * r + Vector256.Create(P1);
        p = p * r + Vector256.Create(P2);
        p = p * r + Vector256.Create(P3);
        p = p * r + Vector256.Create(P4);
        p = p * r + Vector256.Create(P5);
        p = p * (r * r) + r + Vector256<float>.One;
        Vector256<int> bits = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23;
        return p * bits.AsSingle();
    }
    public Vector512<float> Invoke(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Min)), Vector512.Create(Max));
        Vector512<float> n = Vector512.Round(x * Vector512.Create(Log2E));
        Vector512<float> r = x - n * Vector512.Create(Ln2High) - n * Vector512.Create(Ln2Low);
        Vector512<float> p = Vector512.Create(P0) * r + Vector512.Create(P1);
        p = p * r + Vector512.Create(P2);
        p = p * r + Vector512.Create(P3);
        p = p * r + Vector512.Create(P4);
        p = p * r + Vector512.Create(P5);
        p = p * (r * r) + r + Vector512<float>.One;
        Vector512<int> bits = (Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23;
        return p * bits.AsSingle();
    }
}

/// <summary>1 / (1 + e^-x).</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + default(ExpOperator).Invoke(-x));
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + default(ExpOperator).Invoke(-x));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + default(ExpOperator).Invoke(-x));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + default(ExpOperator).Invoke(-x));
}

/// <summary>tanh(x) = 1 − 2 / (e^{2x} + 1); absolute error ≈ 1e-7, saturates cleanly to ±1.</summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f - 2f / (default(ExpOperator).Invoke(x + x) + 1f);
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128<float>.One - Vector128.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector128<float>.One);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256<float>.One - Vector256.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector256<float>.One);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (default(ExpOperator).Invoke(x + x) + Vector512<float>.One);
}

/// <summary>max(0, x).</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>Clamps to [-limit, limit] (ONNX <c>clip</c>).</summary>
internal readonly struct ClipOperator(float limit) : IUnaryOperator
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, -limit), limit);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(-limit)), Vector128.Create(limit));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(-limit)), Vector256.Create(limit));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(-limit)), Vector512.Create(limit));
}

/// <summary>x + y.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x + y;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

/// <summary>x · y.</summary>
internal readonly struct MultiplyOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x * y;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * y;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
}

/// <summary>1 − x.</summary>
internal readonly struct OneMinusOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f - x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One - x;
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One - x;
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One - x;
}

/// <summary>(x + y) + z: the gate pre-activation from the input part, the recurrent part and the bias.</summary>
internal readonly struct AddAddOperator : ITernaryOperator
{
    public float Invoke(float x, float y, float z) => x + y + z;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x + y + z;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x + y + z;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x + y + z;
}

/// <summary>x + y · z (not fused, so every width rounds alike).</summary>
internal readonly struct AddMultiplyOperator : ITernaryOperator
{
    public float Invoke(float x, float y, float z) => x + y * z;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> z) => x + y * z;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> z) => x + y * z;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> z) => x + y * z;
}

/// <summary>o · act(c): the LSTM hidden state from the output gate and the cell state.</summary>
internal readonly struct GatedActivationOperator<TActivation> : IBinaryOperator where TActivation : struct, IUnaryOperator
{
    public float Invoke(float o, float c) => o * default(TActivation).Invoke(c);
    public Vector128<float> Invoke(Vector128<float> o, Vector128<float> c) => o * default(TActivation).Invoke(c);
    public Vector256<float> Invoke(Vector256<float> o, Vector256<float> c) => o * default(TActivation).Invoke(c);
    public Vector512<float> Invoke(Vector512<float> o, Vector512<float> c) => o * default(TActivation).Invoke(c);
}

/// <summary>The identity, for an LSTM whose h activation is none.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
}

/// <summary>
/// The LSTM cell update with the default activations, for the fused step: from the gate pre-activations
/// (i, o, f, g) and the old cell state, c' = σ(i)·tanh(g) + σ(f)·c and h' = σ(o)·tanh(c'). Each operation
/// is the one the separate passes of the general cell apply, in the same order, so both give the same bits.
/// </summary>
internal readonly struct LstmCellOperator(float clip)
{
    public (float Cell, float Hidden) Invoke(float i, float o, float f, float g, float c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        float cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    public (Vector128<float> Cell, Vector128<float> Hidden) Invoke(
        Vector128<float> i, Vector128<float> o, Vector128<float> f, Vector128<float> g, Vector128<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector128<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    public (Vector256<float> Cell, Vector256<float> Hidden) Invoke(
        Vector256<float> i, Vector256<float> o, Vector256<float> f, Vector256<float> g, Vector256<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector256<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }

    public (Vector512<float> Cell, Vector512<float> Hidden) Invoke(
        Vector512<float> i, Vector512<float> o, Vector512<float> f, Vector512<float> g, Vector512<float> c)
    {
        if (clip > 0)
        {
            var limit = new ClipOperator(clip);
            (i, o, f, g) = (limit.Invoke(i), limit.Invoke(o), limit.Invoke(f), limit.Invoke(g));
        }
        SigmoidOperator sigmoid = default;
        TanhOperator tanh = default;
        Vector512<float> cell = sigmoid.Invoke(i) * tanh.Invoke(g) + sigmoid.Invoke(f) * c;
        return (cell, sigmoid.Invoke(o) * tanh.Invoke(cell));
    }
}
