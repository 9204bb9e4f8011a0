using System.Runtime.CompilerServices;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// float32 matrix × vector: <c>result[r] = Σc m[r·stride + c] · v[c]</c>. Paths differ only in summation
/// order (so agree to rounding); tests compare each with <see cref="MultiplyScalar"/>.
/// </summary>
/// <remarks>
/// This file holds the dispatch and the scalar reference; each vector path is a partial file named after its
/// <see cref="FloatPath"/> (<c>FloatMatVec.Vector256.cs</c>, <c>.Vector128.cs</c>).
/// </remarks>
internal static partial class FloatMatVec
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
        {
            throw new ArgumentException("matrix, vector and result shapes disagree");
        }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotTail(ReadOnlySpan<float> row, ReadOnlySpan<float> vector, int start, int end, float sum)
    {
        for (int c = start; c < end; c++) sum += row[c] * vector[c];
        return sum;
    }
}
