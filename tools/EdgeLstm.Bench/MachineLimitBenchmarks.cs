using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>
/// The machine's limit on one core, for judging the engines' achieved rates: register-only multiply–accumulate
/// peaks (independent accumulators, no memory traffic) and a plain cache-resident int8 matrix–vector product over
/// the weights of the H = 256 model. Divide the MAC count in each description by the time for GMAC/s.
/// </summary>
/// <remarks>
/// .NET 10 exposes int8 dot products on x64 only as VEX AVX-VNNI (<see cref="AvxVnni"/>, 256-bit <c>vpdpbusd</c>);
/// the 512-bit EVEX form is not reachable from C#, so the int8 peak here is the one any .NET engine can reach.
/// </remarks>
public class MachineLimitBenchmarks
{
    /// <summary>Loop trips of the peak loops.</summary>
    public const int Trips = 4096;

    /// <summary>Independent accumulators: enough to cover FMA/VNNI latency × throughput on current cores.</summary>
    public const int Accumulators = 12;

    /// <summary>MACs of <see cref="Float32FmaPeak512"/>: trips × 12 accumulators × 16 lanes.</summary>
    public const long Float32Macs512 = (long)Trips * Accumulators * 16;

    /// <summary>MACs of <see cref="Float32FmaPeak256"/>: trips × 12 × 8 lanes.</summary>
    public const long Float32Macs256 = (long)Trips * Accumulators * 8;

    /// <summary>MACs of <see cref="Int8VnniPeak256"/>: trips × 12 × 32 byte products.</summary>
    public const long Int8Macs256 = (long)Trips * Accumulators * 32;

    /// <summary>Independent chains of the sign-and-pmaddubsw peaks: 6 × (w, sum) + x, |x|, ones fit 16 vector registers.</summary>
    public const int SignChains = 6;

    /// <summary>MACs of <see cref="Int8SignMaddubswPeak256"/>: trips × 6 chains × 32 byte products.</summary>
    public const long Int8SignMacs256 = (long)Trips * SignChains * 32;

    /// <summary>MACs of <see cref="Int8SignMaddubswPeak128"/>: trips × 6 chains × 16 byte products.</summary>
    public const long Int8SignMacs128 = (long)Trips * SignChains * 16;

    /// <summary>Rows of one H = 256 gate matrix (4H).</summary>
    public const int Rows = 1024;

    /// <summary>Columns of the three 256-wide matrices of the H = 256 model (R0, W1, R1; W0 is only 8 wide).</summary>
    public const int Columns = 256;

    /// <summary>MACs of <see cref="Int8MatVecH256"/>: 3 × 1024 × 256 (786 K of the step's 796 K).</summary>
    public const long MatVecMacs = 3L * Rows * Columns;

    private readonly sbyte[] _weights = new sbyte[3 * Rows * Columns];
    private readonly byte[] _vector = new byte[Columns];
    private readonly int[] _result = new int[Rows];
    private PackedInt8Lstm[] _packed = null!;
    private readonly float[] _projection = new float[Rows];
    private static readonly float[] Scale = [0.01f];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        random.NextBytes((byte[])(Array)_weights);
        random.NextBytes(_vector);
        // The same three matrices in the engine's packed layout (int8 values clamped to ±127 as the engine's are).
        _packed = [.. Enumerable.Range(0, 3).Select(m =>
        {
            var values = new sbyte[Rows * Columns];
            for (int i = 0; i < values.Length; i++) values[i] = Math.Max((sbyte)-127, _weights[m * Rows * Columns + i]);
            var matrix = WeightMatrix.FromInt8(Rows, Columns, values, Enumerable.Repeat(0.01f, Rows).ToArray());
            return new PackedInt8Lstm(matrix, matrix, new float[Rows], Rows / 4, 0);
        })];
    }

    /// <summary>float32 FMA peak, 512-bit (<c>vfmadd231ps zmm</c>).</summary>
    [Benchmark]
    public float Float32FmaPeak512()
    {
        if (!Avx512F.IsSupported) return 0;
        Vector512<float> a = Vector512.Create(1.0001f), b = Vector512.Create(0.9999f);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector512<float> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (int i = 0; i < Trips; i++)
        {
            s0 = Avx512F.FusedMultiplyAdd(a, b, s0); s1 = Avx512F.FusedMultiplyAdd(a, b, s1);
            s2 = Avx512F.FusedMultiplyAdd(a, b, s2); s3 = Avx512F.FusedMultiplyAdd(a, b, s3);
            s4 = Avx512F.FusedMultiplyAdd(a, b, s4); s5 = Avx512F.FusedMultiplyAdd(a, b, s5);
            s6 = Avx512F.FusedMultiplyAdd(a, b, s6); s7 = Avx512F.FusedMultiplyAdd(a, b, s7);
            s8 = Avx512F.FusedMultiplyAdd(a, b, s8); s9 = Avx512F.FusedMultiplyAdd(a, b, s9);
            s10 = Avx512F.FusedMultiplyAdd(a, b, s10); s11 = Avx512F.FusedMultiplyAdd(a, b, s11);
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    /// <summary>float32 FMA peak, 256-bit (<c>vfmadd231ps ymm</c>).</summary>
    [Benchmark]
    public float Float32FmaPeak256()
    {
        if (!Fma.IsSupported) return 0;
        Vector256<float> a = Vector256.Create(1.0001f), b = Vector256.Create(0.9999f);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<float> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (int i = 0; i < Trips; i++)
        {
            s0 = Fma.MultiplyAdd(a, b, s0); s1 = Fma.MultiplyAdd(a, b, s1);
            s2 = Fma.MultiplyAdd(a, b, s2); s3 = Fma.MultiplyAdd(a, b, s3);
            s4 = Fma.MultiplyAdd(a, b, s4); s5 = Fma.MultiplyAdd(a, b, s5);
            s6 = Fma.MultiplyAdd(a, b, s6); s7 = Fma.MultiplyAdd(a, b, s7);
            s8 = Fma.MultiplyAdd(a, b, s8); s9 = Fma.MultiplyAdd(a, b, s9);
            s10 = Fma.MultiplyAdd(a, b, s10); s11 = Fma.MultiplyAdd(a, b, s11);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    /// <summary>int8 multiply–accumulate peak: AVX-VNNI <c>vpdpbusd ymm</c> (u8 × s8 → s32, 32 MACs each).</summary>
    [Benchmark]
    public int Int8VnniPeak256()
    {
        if (!AvxVnni.IsSupported) return 0;
        Vector256<byte> a = Vector256.Create((byte)3);
        Vector256<sbyte> b = Vector256.Create((sbyte)-2);
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        Vector256<int> s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        for (int i = 0; i < Trips; i++)
        {
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, a, b); s1 = AvxVnni.MultiplyWideningAndAdd(s1, a, b);
            s2 = AvxVnni.MultiplyWideningAndAdd(s2, a, b); s3 = AvxVnni.MultiplyWideningAndAdd(s3, a, b);
            s4 = AvxVnni.MultiplyWideningAndAdd(s4, a, b); s5 = AvxVnni.MultiplyWideningAndAdd(s5, a, b);
            s6 = AvxVnni.MultiplyWideningAndAdd(s6, a, b); s7 = AvxVnni.MultiplyWideningAndAdd(s7, a, b);
            s8 = AvxVnni.MultiplyWideningAndAdd(s8, a, b); s9 = AvxVnni.MultiplyWideningAndAdd(s9, a, b);
            s10 = AvxVnni.MultiplyWideningAndAdd(s10, a, b); s11 = AvxVnni.MultiplyWideningAndAdd(s11, a, b);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    /// <summary>
    /// The AVX2 int8 path's peak: its whole per-vector sequence (<c>vpsignb</c>, <c>vpmaddubsw</c>, <c>vpmaddwd</c> by
    /// ones, <c>vpaddd</c>) on registers only, 6 independent chains. w is carried through <c>vpsignb</c> (x is positive,
    /// so it never changes) only so the JIT cannot hoist the multiplies out of the loop.
    /// </summary>
    [Benchmark]
    public int Int8SignMaddubswPeak256()
    {
        if (!Avx2.IsSupported) return 0;
        Vector256<sbyte> x = Vector256.Create((sbyte)3);
        Vector256<byte> magnitude = Avx2.Abs(x);
        Vector256<short> ones = Vector256<short>.One;
        Vector256<sbyte> w0 = Vector256.Create((sbyte)-2), w1 = w0, w2 = w0, w3 = w0, w4 = w0, w5 = w0;
        Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        for (int i = 0; i < Trips; i++)
        {
            w0 = Avx2.Sign(w0, x); s0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w0), ones);
            w1 = Avx2.Sign(w1, x); s1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w1), ones);
            w2 = Avx2.Sign(w2, x); s2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w2), ones);
            w3 = Avx2.Sign(w3, x); s3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w3), ones);
            w4 = Avx2.Sign(w4, x); s4 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w4), ones);
            w5 = Avx2.Sign(w5, x); s5 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, w5), ones);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5);
    }

    /// <summary>The SSSE3 int8 path's peak (x86-64-v2): the same sequence at 128 bits (<c>psignb</c>, <c>pmaddubsw</c>, <c>pmaddwd</c>).</summary>
    [Benchmark]
    public int Int8SignMaddubswPeak128()
    {
        if (!Ssse3.IsSupported) return 0;
        Vector128<sbyte> x = Vector128.Create((sbyte)3);
        Vector128<byte> magnitude = Ssse3.Abs(x);
        Vector128<short> ones = Vector128<short>.One;
        Vector128<sbyte> w0 = Vector128.Create((sbyte)-2), w1 = w0, w2 = w0, w3 = w0, w4 = w0, w5 = w0;
        Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        for (int i = 0; i < Trips; i++)
        {
            w0 = Ssse3.Sign(w0, x); s0 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w0), ones);
            w1 = Ssse3.Sign(w1, x); s1 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w1), ones);
            w2 = Ssse3.Sign(w2, x); s2 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w2), ones);
            w3 = Ssse3.Sign(w3, x); s3 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w3), ones);
            w4 = Ssse3.Sign(w4, x); s4 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w4), ones);
            w5 = Ssse3.Sign(w5, x); s5 += Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, w5), ones);
        }
        return Vector128.Sum(s0 + s1 + s2 + s3 + s4 + s5);
    }

    /// <summary>
    /// A plain int8 matvec (AVX-VNNI, 4 rows per pass, no quantization, bias or zero-point work) over the H = 256 model's
    /// three 1024 × 256 matrices (768 KB: L2-resident): the floor of the int8 step's matrix work.
    /// </summary>
    [Benchmark]
    public int Int8MatVecH256()
    {
        if (!AvxVnni.IsSupported) return 0;
        int total = 0;
        for (int m = 0; m < 3; m++)
        {
            MatVec(_weights.AsSpan(m * Rows * Columns, Rows * Columns), _vector, _result);
            total += _result[m];
        }
        return total;
    }

    /// <summary>
    /// The engine's own int8 kernel over the same three matrices: <see cref="FusedInt8Lstm.ProjectInputs"/> for one step
    /// on the packed, gate-interleaved layout (eight rows per <c>vpdpbusd</c>, no horizontal sums), dequantization included.
    /// </summary>
    [Benchmark]
    public float Int8PackedMatVecH256()
    {
        if (!AvxVnni.IsSupported) return 0;
        float total = 0;
        foreach (PackedInt8Lstm matrix in _packed)
        {
            FusedInt8Lstm.ProjectInputs(Int8Path.AvxVnni, matrix, (sbyte[])(Array)_vector, _vector, Scale, 1, _projection);
            total += _projection[0];
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MatVec(ReadOnlySpan<sbyte> matrix, ReadOnlySpan<byte> vector, Span<int> result) =>
        PlainInt8MatVec.Multiply(matrix, Rows, Columns, vector, result);
}

/// <summary>
/// The plain AVX-VNNI int8 matvec of <see cref="MachineLimitBenchmarks"/>: u8 vector × s8 rows, 4 rows per pass, no
/// zero-point, scale or bias work. Rows must be a multiple of 4 and columns of 32.
/// </summary>
public static class PlainInt8MatVec
{
    /// <summary>result[r] = Σ matrix[r, c] · vector[c] (raw int32 dot products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(ReadOnlySpan<sbyte> matrix, int rows, int columns, ReadOnlySpan<byte> vector, Span<int> result)
    {
        ref sbyte w = ref Unsafe.AsRef(in matrix[0]);
        ref byte v = ref Unsafe.AsRef(in vector[0]);
        nuint stride = (nuint)columns;
        for (int r = 0; r < rows; r += 4)
        {
            Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
            nuint row = (nuint)r * stride;
            for (nuint c = 0; c < stride; c += 32)
            {
                Vector256<byte> x = Vector256.LoadUnsafe(ref v, c);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, x, Vector256.LoadUnsafe(ref w, row + c));
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, x, Vector256.LoadUnsafe(ref w, row + stride + c));
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, x, Vector256.LoadUnsafe(ref w, row + 2 * stride + c));
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, x, Vector256.LoadUnsafe(ref w, row + 3 * stride + c));
            }
            result[r] = Vector256.Sum(a0);
            result[r + 1] = Vector256.Sum(a1);
            result[r + 2] = Vector256.Sum(a2);
            result[r + 3] = Vector256.Sum(a3);
        }
    }
}
