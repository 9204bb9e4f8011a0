using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
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
}
