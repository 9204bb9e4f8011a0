using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>float32 weights, padded rows.</summary>
internal sealed class FloatWeightMatVec : WeightMatVec
{
    private readonly float[] _matrix;
    private readonly int _stride;

    public FloatWeightMatVec(WeightMatrix matrix) : base(matrix.Rows, matrix.Columns)
    {
        _stride = PaddedStride(Columns);
        _matrix = new float[checked(Rows * _stride)];
        float[] values = matrix.ToFloat();
        for (int r = 0; r < Rows; r++)
            values.AsSpan(r * Columns, Columns).CopyTo(_matrix.AsSpan(r * _stride));
    }

    public override void Multiply(ReadOnlySpan<float> vector, int rowStart, int rowCount, Span<float> result) =>
        FloatMatVec.Multiply(_matrix.AsSpan(rowStart * _stride), rowCount, Columns, _stride, vector, result);
}
