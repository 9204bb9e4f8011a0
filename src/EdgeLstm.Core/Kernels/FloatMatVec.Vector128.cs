using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

internal static partial class FloatMatVec
{
    /// <summary>128-bit path with two independent accumulators.</summary>
    public static void MultiplyVector128(ReadOnlySpan<float> matrix, int rows, int columns, int stride, ReadOnlySpan<float> vector, Span<float> result)
    {
        ref float m0 = ref MemoryMarshal.GetReference(matrix);
        ref float v0 = ref MemoryMarshal.GetReference(vector);
        int width = Vector128<float>.Count;
        int vectorEnd = columns - columns % width;
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<float> acc0 = Vector128<float>.Zero, acc1 = Vector128<float>.Zero;
            int c = 0;
            for (; c + 2 * width <= vectorEnd; c += 2 * width)
            {
                acc0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref row, (nuint)c), Vector128.LoadUnsafe(ref v0, (nuint)c), acc0);
                acc1 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref row, (nuint)(c + width)), Vector128.LoadUnsafe(ref v0, (nuint)(c + width)), acc1);
            }
            if (c < vectorEnd)
                acc0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref row, (nuint)c), Vector128.LoadUnsafe(ref v0, (nuint)c), acc0);
            result[r] = DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns, Vector128.Sum(acc0 + acc1));
        }
    }
}
