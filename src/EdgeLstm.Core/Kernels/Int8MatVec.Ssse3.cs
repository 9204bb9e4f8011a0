using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
    /// <summary>
    /// x64 SSSE3 (x86-64-v2): psignb moves v's sign onto the row, pmaddubsw multiplies |v| (unsigned) by it into int16
    /// pair sums that cannot saturate (|m|, |v| ≤ 127: ≤ 32,258), pmaddwd by ones widens them to int32. Four rows per
    /// pass share each load of v and its |v|.
    /// </summary>
    public static void MultiplySsse3(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Ssse3.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        int r = 0;
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
                Vector128<byte> magnitude = Ssse3.Abs(v);
                acc0 += SignedProducts(Vector128.LoadUnsafe(ref row0, (nuint)c), v, magnitude);
                acc1 += SignedProducts(Vector128.LoadUnsafe(ref row1, (nuint)c), v, magnitude);
                acc2 += SignedProducts(Vector128.LoadUnsafe(ref row2, (nuint)c), v, magnitude);
                acc3 += SignedProducts(Vector128.LoadUnsafe(ref row3, (nuint)c), v, magnitude);
            }
            Vector128<int> sums = Ssse3.HorizontalAdd(Ssse3.HorizontalAdd(acc0, acc1), Ssse3.HorizontalAdd(acc2, acc3));
            for (int k = 0; k < 4; k++)
                result[r + k] = sums.GetElement(k) + DotTail(matrix.Slice((r + k) * stride), vector, vectorEnd, columns);
        }
        for (; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> v = Vector128.LoadUnsafe(ref v0, (nuint)c);
                acc += SignedProducts(Vector128.LoadUnsafe(ref row, (nuint)c), v, Ssse3.Abs(v));
            }
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }

    /// <summary>m·v summed in fours: [Σ0..3, Σ4..7, Σ8..11, Σ12..15], exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> SignedProducts(Vector128<sbyte> m, Vector128<sbyte> v, Vector128<byte> magnitude) =>
        Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, Ssse3.Sign(m, v)), Vector128<short>.One);
}
