using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
    /// <summary>
    /// x64 AVX2: the SSSE3 path's sign trick at 256 bits (vpsignb, vpmaddubsw of |v| into exact int16 pair sums,
    /// vpmaddwd by ones), four rows per pass sharing each load of v, then one 16-byte step with the 128-bit form.
    /// </summary>
    /// <remarks>It replaced sign-extending both operands to int16 (vpmovsxbw) and vpmaddwd, one row at a time.</remarks>
    public static void MultiplyAvx2(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int wideEnd = columns - columns % Vector256<sbyte>.Count;
        // The engine pads rows to 32 bytes; other callers may leave one 16-byte vector after the 32-byte ones.
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref sbyte row0 = ref Unsafe.Add(ref m0, r * stride);
            ref sbyte row1 = ref Unsafe.Add(ref row0, stride);
            ref sbyte row2 = ref Unsafe.Add(ref row1, stride);
            ref sbyte row3 = ref Unsafe.Add(ref row2, stride);
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = 0; c < wideEnd; c += Vector256<sbyte>.Count)
            {
                Vector256<sbyte> v = Vector256.LoadUnsafe(ref v0, (nuint)c);
                Vector256<byte> magnitude = Avx2.Abs(v);
                acc0 += SignedProducts(Vector256.LoadUnsafe(ref row0, (nuint)c), v, magnitude);
                acc1 += SignedProducts(Vector256.LoadUnsafe(ref row1, (nuint)c), v, magnitude);
                acc2 += SignedProducts(Vector256.LoadUnsafe(ref row2, (nuint)c), v, magnitude);
                acc3 += SignedProducts(Vector256.LoadUnsafe(ref row3, (nuint)c), v, magnitude);
            }
            if (wideEnd < vectorEnd)
            {
                Vector128<sbyte> v = Vector128.LoadUnsafe(ref v0, (nuint)wideEnd);
                Vector128<byte> magnitude = Ssse3.Abs(v);
                acc0 += Vector256.Create(SignedProducts(Vector128.LoadUnsafe(ref row0, (nuint)wideEnd), v, magnitude), Vector128<int>.Zero);
                acc1 += Vector256.Create(SignedProducts(Vector128.LoadUnsafe(ref row1, (nuint)wideEnd), v, magnitude), Vector128<int>.Zero);
                acc2 += Vector256.Create(SignedProducts(Vector128.LoadUnsafe(ref row2, (nuint)wideEnd), v, magnitude), Vector128<int>.Zero);
                acc3 += Vector256.Create(SignedProducts(Vector128.LoadUnsafe(ref row3, (nuint)wideEnd), v, magnitude), Vector128<int>.Zero);
            }
            Vector128<int> sums = SumEach(acc0, acc1, acc2, acc3);
            for (int k = 0; k < 4; k++)
                result[r + k] = sums.GetElement(k) + DotTail(matrix.Slice((r + k) * stride), vector, vectorEnd, columns);
        }
        // At most three rows left: the 128-bit path.
        if (r < rows)
            MultiplySsse3(matrix.Slice(r * stride), rows - r, columns, stride, vector, result.Slice(r));
    }

    /// <summary>m·v summed in fours, exact (see <see cref="SignedProducts(Vector128{sbyte}, Vector128{sbyte}, Vector128{byte})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SignedProducts(Vector256<sbyte> m, Vector256<sbyte> v, Vector256<byte> magnitude) =>
        Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(m, v)), Vector256<short>.One);
}
