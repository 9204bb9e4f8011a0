using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// int8 matrix × int8 vector with int32 accumulation: <c>result[r] = Σc m[r·stride + c] · v[c]</c>.
/// Every path is exact (no saturation: |m|, |v| ≤ 127), so all paths return identical integers; the public
/// entry point picks the fastest one the CPU has. Each path is a separate method so tests can compare it
/// with <see cref="MultiplyScalar"/>.
/// </summary>
internal static class Int8MatVec
{
    /// <summary>The path the CPU-dispatching overload uses on this CPU: the first of <see cref="Int8Paths.Supported"/> (this kernel has them all).</summary>
    public static Int8Path BestPath { get; } = Int8Paths.Supported[0];

    /// <summary>
    /// Multiplies with the best path. <paramref name="biased"/> must hold <c>v[c] + 128</c> as bytes and
    /// <paramref name="rowSums"/> <c>128 · Σc m[r, c]</c> (only the VNNI path, which multiplies unsigned by
    /// signed bytes, reads them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, ReadOnlySpan<byte> biased, ReadOnlySpan<int> rowSums, Span<int> result) =>
        Multiply(BestPath, matrix, rows, columns, stride, vector, biased, rowSums, result);

    /// <summary>Multiplies with a chosen path; throws when the CPU lacks it.</summary>
    public static void Multiply(Int8Path path, ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, ReadOnlySpan<byte> biased, ReadOnlySpan<int> rowSums, Span<int> result)
    {
        if (rows < 0 || columns < 0 || stride < columns || (long)(rows - 1) * stride + columns > matrix.Length ||
            vector.Length < columns || result.Length < rows)
            throw new ArgumentException("matrix, vector and result shapes disagree");
        switch (path)
        {
            case Int8Path.ArmDotProduct: MultiplyArmDotProduct(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.ArmAdvSimd: MultiplyArmAdvSimd(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.AvxVnni:
                if (biased.Length < columns || rowSums.Length < rows) throw new ArgumentException("VNNI needs the biased vector and row sums");
                MultiplyAvxVnni(matrix, rows, columns, stride, vector, biased, rowSums, result);
                break;
            case Int8Path.Avx2: MultiplyAvx2(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.Vector128: MultiplyVector128(matrix, rows, columns, stride, vector, result); break;
            default: MultiplyScalar(matrix, rows, columns, stride, vector, result); break;
        }
    }

    /// <summary>The reference: one multiply–add per element.</summary>
    public static void MultiplyScalar(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        for (int r = 0; r < rows; r++)
            result[r] = DotTail(matrix.Slice(r * stride), vector, 0, columns);
    }

    /// <summary>Portable 128-bit path: widen to int16, multiply (|product| ≤ 16129 fits), widen to int32, add.</summary>
    public static void MultiplyVector128(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> a = Vector128.LoadUnsafe(ref row, (nuint)c);
                Vector128<sbyte> b = Vector128.LoadUnsafe(ref v0, (nuint)c);
                Vector128<short> lo = Vector128.WidenLower(a) * Vector128.WidenLower(b);
                Vector128<short> hi = Vector128.WidenUpper(a) * Vector128.WidenUpper(b);
                acc += Vector128.WidenLower(lo) + Vector128.WidenUpper(lo) + Vector128.WidenLower(hi) + Vector128.WidenUpper(hi);
            }
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }

    /// <summary>x64 AVX2: sign-extend 16 bytes to int16 (vpmovsxbw), multiply and add pairs to int32 (vpmaddwd).</summary>
    public static void MultiplyAvx2(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector256<int> acc = Vector256<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector256<short> a = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)c));
                Vector256<short> b = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref v0, (nuint)c));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a, b));
            }
            result[r] = Vector256.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }

    /// <summary>
    /// x64 AVX-VNNI (vpdpbusd multiplies unsigned by signed bytes): Σ m·(v + 128) − 128·Σ m, with the
    /// vector pre-biased and the row sums precomputed at load.
    /// </summary>
    public static void MultiplyAvxVnni(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, ReadOnlySpan<byte> biased, ReadOnlySpan<int> rowSums, Span<int> result)
    {
        if (!AvxVnni.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref byte u0 = ref MemoryMarshal.GetReference(biased);
        int vectorEnd = columns - columns % Vector256<sbyte>.Count;
        int r = 0;
        // Four rows at a time: four independent dependency chains share each load of the vector.
        for (; r + 4 <= rows; r += 4)
        {
            ref sbyte row0 = ref Unsafe.Add(ref m0, r * stride);
            ref sbyte row1 = ref Unsafe.Add(ref row0, stride);
            ref sbyte row2 = ref Unsafe.Add(ref row1, stride);
            ref sbyte row3 = ref Unsafe.Add(ref row2, stride);
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = 0; c < vectorEnd; c += Vector256<sbyte>.Count)
            {
                Vector256<byte> u = Vector256.LoadUnsafe(ref u0, (nuint)c);
                acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, u, Vector256.LoadUnsafe(ref row0, (nuint)c));
                acc1 = AvxVnni.MultiplyWideningAndAdd(acc1, u, Vector256.LoadUnsafe(ref row1, (nuint)c));
                acc2 = AvxVnni.MultiplyWideningAndAdd(acc2, u, Vector256.LoadUnsafe(ref row2, (nuint)c));
                acc3 = AvxVnni.MultiplyWideningAndAdd(acc3, u, Vector256.LoadUnsafe(ref row3, (nuint)c));
            }
            Vector128<int> sums = SumEach(acc0, acc1, acc2, acc3);
            for (int k = 0; k < 4; k++)
                result[r + k] = VnniRowResult(sums.GetElement(k), matrix.Slice((r + k) * stride), vector, rowSums[r + k], vectorEnd, columns);
        }
        for (; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector256<int> acc = Vector256<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector256<sbyte>.Count)
                acc = AvxVnni.MultiplyWideningAndAdd(acc, Vector256.LoadUnsafe(ref u0, (nuint)c), Vector256.LoadUnsafe(ref row, (nuint)c));
            result[r] = VnniRowResult(Vector256.Sum(acc), matrix.Slice(r * stride), vector, rowSums[r], vectorEnd, columns);
        }
    }

    /// <summary>
    /// Removes the +128 bias from a VNNI row sum and adds the unbiased tail: the row sum covers all columns,
    /// the vector loop only [0, vectorEnd).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VnniRowResult(int biasedSum, ReadOnlySpan<sbyte> row, ReadOnlySpan<sbyte> vector, int rowSum, int vectorEnd, int columns)
    {
        int tailSum = 0;
        for (int c = vectorEnd; c < columns; c++) tailSum += row[c];
        return biasedSum - (rowSum - 128 * tailSum) + DotTail(row, vector, vectorEnd, columns);
    }

    /// <summary>The horizontal sums of four accumulators, as one vector: three hadds and one add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SumEach(Vector256<int> a0, Vector256<int> a1, Vector256<int> a2, Vector256<int> a3)
    {
        Vector256<int> h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a0, a1), Avx2.HorizontalAdd(a2, a3));
        return h.GetLower() + h.GetUpper();
    }

    /// <summary>ARM64 NEON: smull/smull2 to int16, sadalp into int32.</summary>
    public static void MultiplyArmAdvSimd(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!AdvSimd.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> a = Vector128.LoadUnsafe(ref row, (nuint)c);
                Vector128<sbyte> b = Vector128.LoadUnsafe(ref v0, (nuint)c);
                acc = AdvSimd.AddPairwiseWideningAndAdd(acc, AdvSimd.MultiplyWideningLower(a.GetLower(), b.GetLower()));
                acc = AdvSimd.AddPairwiseWideningAndAdd(acc, AdvSimd.MultiplyWideningUpper(a, b));
            }
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }

    /// <summary>ARMv8.2 dot product (sdot), as on the Cortex-A76 of a Raspberry Pi 5.</summary>
    public static void MultiplyArmDotProduct(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Dp.IsSupported || !AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        int r = 0;
        // Four rows at a time, as in the VNNI path; addp reduces the four accumulators in two instructions.
        for (; r + 4 <= rows; r += 4)
        {
            ref sbyte row0 = ref Unsafe.Add(ref m0, r * stride);
            ref sbyte row1 = ref Unsafe.Add(ref row0, stride);
            ref sbyte row2 = ref Unsafe.Add(ref row1, stride);
            ref sbyte row3 = ref Unsafe.Add(ref row2, stride);
            Vector128<int> acc0 = Vector128<int>.Zero, acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> v = Vector128.LoadUnsafe(ref v0, (nuint)c);
                acc0 = Dp.DotProduct(acc0, Vector128.LoadUnsafe(ref row0, (nuint)c), v);
                acc1 = Dp.DotProduct(acc1, Vector128.LoadUnsafe(ref row1, (nuint)c), v);
                acc2 = Dp.DotProduct(acc2, Vector128.LoadUnsafe(ref row2, (nuint)c), v);
                acc3 = Dp.DotProduct(acc3, Vector128.LoadUnsafe(ref row3, (nuint)c), v);
            }
            Vector128<int> sums = AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(acc0, acc1), AdvSimd.Arm64.AddPairwise(acc2, acc3));
            for (int k = 0; k < 4; k++)
                result[r + k] = sums.GetElement(k) + DotTail(matrix.Slice((r + k) * stride), vector, vectorEnd, columns);
        }
        for (; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
                acc = Dp.DotProduct(acc, Vector128.LoadUnsafe(ref row, (nuint)c), Vector128.LoadUnsafe(ref v0, (nuint)c));
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DotTail(ReadOnlySpan<sbyte> row, ReadOnlySpan<sbyte> vector, int start, int end)
    {
        int sum = 0;
        for (int c = start; c < end; c++) sum += row[c] * vector[c];
        return sum;
    }
}
