using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

internal static partial class FloatMatVec
{
    /// <summary>256-bit path with two independent accumulators (fused multiply–add where the CPU has it).</summary>
    public static void MultiplyVector256(ReadOnlySpan<float> matrix, int rows, int columns, int stride, ReadOnlySpan<float> vector, Span<float> result)
    {
        ref float m0 = ref MemoryMarshal.GetReference(matrix);
        ref float v0 = ref MemoryMarshal.GetReference(vector);
        int width = Vector256<float>.Count;
        int vectorEnd = columns - columns % width;
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref m0, r * stride);
            Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
            int c = 0;
            for (; c + 2 * width <= vectorEnd; c += 2 * width)
            {
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, (nuint)c), Vector256.LoadUnsafe(ref v0, (nuint)c), acc0);
                acc1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, (nuint)(c + width)), Vector256.LoadUnsafe(ref v0, (nuint)(c + width)), acc1);
            }
            if (c < vectorEnd)
                acc0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, (nuint)c), Vector256.LoadUnsafe(ref v0, (nuint)c), acc0);
            result[r] = DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns, Vector256.Sum(acc0 + acc1));
        }
    }
}
