using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// float32 matrix × vector: <c>result[r] = Σc m[r·stride + c] · v[c]</c>. Paths differ only in summation
/// order (so agree to rounding); tests compare each with <see cref="MultiplyScalar"/>.
/// </summary>
internal static class FloatMatVec
{
    /// <summary>
    /// The path <see cref="Multiply(ReadOnlySpan{float}, int, int, int, ReadOnlySpan{float}, Span{float})"/> uses: the first of
    /// <see cref="FloatPaths.Supported"/>.
    /// </summary>
    public static FloatPath BestPath { get; } = FloatPaths.Supported[0];

    /// <summary>Multiplies with the best path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(ReadOnlySpan<float> matrix, int rows, int columns, int stride, ReadOnlySpan<float> vector, Span<float> result) =>
        Multiply(BestPath, matrix, rows, columns, stride, vector, result);

    /// <summary>Multiplies with a chosen path.</summary>
    public static void Multiply(FloatPath path, ReadOnlySpan<float> matrix, int rows, int columns, int stride, ReadOnlySpan<float> vector, Span<float> result)
    {
        if (rows < 0 || columns < 0 || stride < columns || (long)(rows - 1) * stride + columns > matrix.Length ||
            vector.Length < columns || result.Length < rows)
            throw new ArgumentException("matrix, vector and result shapes disagree");
        switch (path)
        {
            case FloatPath.Vector256: MultiplyVector256(matrix, rows, columns, stride, vector, result); break;
            case FloatPath.Vector128: MultiplyVector128(matrix, rows, columns, stride, vector, result); break;
            default: MultiplyScalar(matrix, rows, columns, stride, vector, result); break;
        }
    }

    /// <summary>The reference: one multiply–add per element, left to right.</summary>
    public static void MultiplyScalar(ReadOnlySpan<float> matrix, int rows, int columns, int stride, ReadOnlySpan<float> vector, Span<float> result)
    {
        for (int r = 0; r < rows; r++)
            result[r] = DotTail(matrix.Slice(r * stride), vector, 0, columns, 0f);
    }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotTail(ReadOnlySpan<float> row, ReadOnlySpan<float> vector, int start, int end, float sum)
    {
        for (int c = start; c < end; c++) sum += row[c] * vector[c];
        return sum;
    }
}
