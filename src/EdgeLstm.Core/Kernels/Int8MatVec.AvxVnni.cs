using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
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
}
