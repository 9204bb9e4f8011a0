using System.Runtime.CompilerServices;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// int8 matrix × int8 vector with int32 accumulation: <c>result[r] = Σc m[r·stride + c] · v[c]</c>.
/// Every path is exact (no saturation: |m|, |v| ≤ 127), so all paths return identical integers; the public
/// entry point picks the fastest one the CPU has. Each path is a separate method so tests can compare it
/// with <see cref="MultiplyScalar"/>.
/// </summary>
/// <remarks>
/// This file holds the dispatch and the scalar reference; each other path is a partial file named after its
/// <see cref="Int8Path"/> (<c>Int8MatVec.AvxVnni.cs</c>, <c>.Avx2.cs</c>, <c>.Ssse3.cs</c>, <c>.Vector128.cs</c>, <c>.ArmDotProduct.cs</c>, <c>.ArmAdvSimd.cs</c>).
/// </remarks>
internal static partial class Int8MatVec
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
        {
            throw new ArgumentException("matrix, vector and result shapes disagree");
        }

        switch (path)
        {
            case Int8Path.ArmDotProduct: MultiplyArmDotProduct(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.ArmAdvSimd: MultiplyArmAdvSimd(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.AvxVnni:
                if (biased.Length < columns || rowSums.Length < rows) throw new ArgumentException("VNNI needs the biased vector and row sums");
                MultiplyAvxVnni(matrix, rows, columns, stride, vector, biased, rowSums, result);
                break;
            case Int8Path.Avx2: MultiplyAvx2(matrix, rows, columns, stride, vector, result); break;
            case Int8Path.Ssse3: MultiplySsse3(matrix, rows, columns, stride, vector, result); break;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DotTail(ReadOnlySpan<sbyte> row, ReadOnlySpan<sbyte> vector, int start, int end)
    {
        int sum = 0;
        for (int c = start; c < end; c++) sum += row[c] * vector[c];
        return sum;
    }
}
