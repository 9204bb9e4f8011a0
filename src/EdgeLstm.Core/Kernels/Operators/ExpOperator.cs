using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(Min)), Vector128.Create(Max));
        Vector128<float> n = RoundToEven.Round(x * Vector128.Create(Log2E));
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
