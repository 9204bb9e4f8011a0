using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// Element-wise loops in the TensorPrimitives shape: 512-bit vectors, then 256-bit, then 128-bit, then a scalar
/// tail (quantization and reductions stop at 256 bits: their passes are short).
/// Every operator uses only lane-wise IEEE operations (no fused multiply–add, no estimates), so every width
/// gives bit-identical results — on x64 and on ARM64. That is what lets the int8 engine promise identical
/// predictions on the desktop and on the board.
/// </summary>
internal static class Elementwise
{
    /// <summary>The widest vector this CPU accelerates.</summary>
    public static VectorWidth BestWidth { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.Vector512 :
        Vector256.IsHardwareAccelerated ? VectorWidth.Vector256 :
        Vector128.IsHardwareAccelerated ? VectorWidth.Vector128 : VectorWidth.Scalar;

    /// <summary>x[i] = op(x[i]).</summary>
    public static void Apply<TOp>(TOp op, Span<float> x, VectorWidth width) where TOp : struct, IUnaryOperator =>
        Apply(op, x, x, width);

    /// <summary>destination[i] = op(x[i]).</summary>
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> destination, VectorWidth width)
        where TOp : struct, IUnaryOperator
    {
        if (destination.Length < x.Length) throw new ArgumentException("destination is too short", nameof(destination));
        ref float src = ref MemoryMarshal.GetReference(x);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width.Runs512())
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width.Runs256())
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width >= VectorWidth.Vector128)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = op.Invoke(Unsafe.Add(ref src, i));
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, VectorWidth width)
        where TOp : struct, IBinaryOperator
    {
        if (y.Length < x.Length || destination.Length < x.Length) throw new ArgumentException("operands differ in length");
        ref float a = ref MemoryMarshal.GetReference(x);
        ref float b = ref MemoryMarshal.GetReference(y);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width.Runs512())
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width.Runs256())
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width >= VectorWidth.Vector128)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref a, (nuint)i), Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = op.Invoke(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
    }

    /// <summary>destination[i] = op(x[i], y[i], z[i]).</summary>
    public static void Apply<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination, VectorWidth width)
        where TOp : struct, ITernaryOperator
    {
        if (y.Length < x.Length || z.Length < x.Length || destination.Length < x.Length) throw new ArgumentException("operands differ in length");
        ref float a = ref MemoryMarshal.GetReference(x);
        ref float b = ref MemoryMarshal.GetReference(y);
        ref float c = ref MemoryMarshal.GetReference(z);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = x.Length, i = 0;
        if (width.Runs512())
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), Vector512.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width.Runs256())
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        if (width >= VectorWidth.Vector128)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                op.Invoke(Vector128.LoadUnsafe(ref a, (nuint)i), Vector128.LoadUnsafe(ref b, (nuint)i), Vector128.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        }

        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = op.Invoke(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), Unsafe.Add(ref c, i));
    }

    /// <summary>Largest absolute value (0 for an empty span). Max is exact, so every width agrees.</summary>
    public static float MaxAbs(ReadOnlySpan<float> x, VectorWidth width)
    {
        ref float src = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        float max = 0;
        if (width.Runs256() && n >= Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                acc = Vector256.Max(acc, Vector256.Abs(Vector256.LoadUnsafe(ref src, (nuint)i)));
            max = MaxLane(Vector128.Max(acc.GetLower(), acc.GetUpper()));
        }
        if (width >= VectorWidth.Vector128 && n - i >= Vector128<float>.Count)
        {
            Vector128<float> acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                acc = Vector128.Max(acc, Vector128.Abs(Vector128.LoadUnsafe(ref src, (nuint)i)));
            max = MathF.Max(MaxLane(acc), max);
        }
        for (; i < n; i++) max = MathF.Max(max, MathF.Abs(Unsafe.Add(ref src, i)));
        return max;
    }

    /// <summary>
    /// Symmetric int8 quantization: q = clamp(round(x · 127 / maxAbs), ±127); also writes q + 128 as bytes
    /// for unsigned×signed dot products. Returns the scale maxAbs / 127 (0 for an all-zero vector).
    /// </summary>
    public static float Quantize(ReadOnlySpan<float> x, Span<sbyte> quantized, Span<byte> biased, VectorWidth width)
    {
        float maxAbs = MaxAbs(x, width);
        if (maxAbs == 0 || !float.IsFinite(maxAbs))
        {
            quantized[..x.Length].Clear();
            biased[..x.Length].Fill(128);
            return 0;
        }
        float inverse = 127f / maxAbs;
        ref float src = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        ref sbyte q0 = ref MemoryMarshal.GetReference(quantized);
        ref byte b0 = ref MemoryMarshal.GetReference(biased);
        // The rounded values lie in [-127, 127], so the native float→int conversion needs no saturation.
        if (width.Runs256())
        {
            Vector256<float> inv = Vector256.Create(inverse);
            for (; i <= n - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                Vector256<int> lo = Vector256.ConvertToInt32Native(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)i) * inv));
                Vector256<int> hi = Vector256.ConvertToInt32Native(Vector256.Round(Vector256.LoadUnsafe(ref src, (nuint)(i + 8)) * inv));
                Vector256<short> q16 = Vector256.Narrow(lo, hi);
                Vector128<sbyte> q8 = Vector128.Narrow(q16.GetLower(), q16.GetUpper());
                q8.StoreUnsafe(ref q0, (nuint)i);
                (q8.AsByte() + Vector128.Create((byte)128)).StoreUnsafe(ref b0, (nuint)i);
            }
        }
        if (width >= VectorWidth.Vector128)
        {
            Vector128<float> inv = Vector128.Create(inverse);
            for (; i <= n - Vector128<short>.Count; i += Vector128<short>.Count)
            {
                Vector128<int> lo = Vector128.ConvertToInt32Native(RoundToEven.Round(Vector128.LoadUnsafe(ref src, (nuint)i) * inv));
                Vector128<int> hi = Vector128.ConvertToInt32Native(RoundToEven.Round(Vector128.LoadUnsafe(ref src, (nuint)(i + 4)) * inv));
                // Eight bytes per store, from 128-bit registers (Vector64 is not accelerated on x64); saturating narrows
                // are single instructions on x64 and ARM64 and equal truncation here.
                Vector128<sbyte> q8 = Vector128.NarrowWithSaturation(Vector128.NarrowWithSaturation(lo, hi), Vector128<short>.Zero);
                Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref q0, i)), q8.AsInt64().ToScalar());
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref b0, i), (q8.AsByte() + Vector128.Create((byte)128)).AsInt64().ToScalar());
            }
        }
        for (; i < n; i++)
        {
            // |x · inverse| ≤ 127 by construction; rounding to even matches the vectors' Round.
            sbyte q = (sbyte)(int)MathF.Round(Unsafe.Add(ref src, i) * inverse);
            quantized[i] = q;
            biased[i] = (byte)(q + 128);
        }
        return maxAbs / 127f;
    }

    /// <summary>destination[r] = acc[r] · (rowScales[r] · vectorScale): dequantizes an int8 matrix–vector product.</summary>
    public static void Dequantize(ReadOnlySpan<int> acc, ReadOnlySpan<float> rowScales, float vectorScale, Span<float> destination, VectorWidth width)
    {
        int n = acc.Length, i = 0;
        if (rowScales.Length < n || destination.Length < n) throw new ArgumentException("operands differ in length");
        ref int a = ref MemoryMarshal.GetReference(acc);
        ref float s = ref MemoryMarshal.GetReference(rowScales);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        if (width.Runs256())
        {
            Vector256<float> vs = Vector256.Create(vectorScale);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                (Vector256.ConvertToSingle(Vector256.LoadUnsafe(ref a, (nuint)i)) * (Vector256.LoadUnsafe(ref s, (nuint)i) * vs)).StoreUnsafe(ref dst, (nuint)i);
        }
        if (width >= VectorWidth.Vector128)
        {
            Vector128<float> vs = Vector128.Create(vectorScale);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
                (Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref a, (nuint)i)) * (Vector128.LoadUnsafe(ref s, (nuint)i) * vs)).StoreUnsafe(ref dst, (nuint)i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref a, i) * (Unsafe.Add(ref s, i) * vectorScale);
    }

    private static float MaxLane(Vector128<float> v) =>
        MathF.Max(MathF.Max(v.GetElement(0), v.GetElement(1)), MathF.Max(v.GetElement(2), v.GetElement(3)));
}
