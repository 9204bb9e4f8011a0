using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// int8 weights with per-row scales. Each call quantizes the vector symmetrically (one scale per call),
/// accumulates in int32 and dequantizes: result[r] = acc[r] · rowScale[r] · vectorScale.
/// </summary>
internal sealed class Int8WeightMatVec : WeightMatVec
{
    private readonly sbyte[] _matrix;
    private readonly int _stride;
    private readonly float[] _rowScales;
    private readonly int[] _biasedRowSums;
    private readonly sbyte[] _vector;
    private readonly byte[] _biasedVector;
    private readonly int[] _accumulator;

    public Int8WeightMatVec(WeightMatrix matrix) : base(matrix.Rows, matrix.Columns)
    {
        _stride = PaddedStride(Columns);
        _matrix = new sbyte[Rows * _stride];
        _rowScales = (float[])matrix.RowScales!.Clone();
        _biasedRowSums = new int[Rows];
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<sbyte> row = matrix.Quantized.AsSpan(r * Columns, Columns);
            row.CopyTo(_matrix.AsSpan(r * _stride));
            int sum = 0;
            foreach (sbyte w in row) sum += w;
            _biasedRowSums[r] = 128 * sum;
        }
        _vector = new sbyte[_stride];
        _biasedVector = new byte[_stride];
        _accumulator = new int[Rows];
    }

    public override void Multiply(ReadOnlySpan<float> vector, int rowStart, int rowCount, Span<float> result)
    {
        float vectorScale = Elementwise.Quantize(vector[..Columns], _vector, _biasedVector, Elementwise.BestWidth);
        Span<int> acc = _accumulator.AsSpan(0, rowCount);
        // Rows and vector are zero-padded to the stride, so the kernel runs over whole vectors with no tail.
        Int8MatVec.Multiply(_matrix.AsSpan(rowStart * _stride), rowCount, _stride, _stride,
            _vector, _biasedVector, _biasedRowSums.AsSpan(rowStart, rowCount), acc);
        Elementwise.Dequantize(acc, _rowScales.AsSpan(rowStart, rowCount), vectorScale, result, Elementwise.BestWidth);
    }
}
