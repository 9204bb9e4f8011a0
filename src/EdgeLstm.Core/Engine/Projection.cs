using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// Multiplies one weight matrix by a vector: <c>result = M·v</c> over all rows or a block of rows. The
/// float32 and int8 engines differ only here; the cell equations around it are shared.
/// </summary>
internal abstract class Projection
{
    protected Projection(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Rows of the matrix (outputs).</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix (inputs).</summary>
    public int Columns { get; }

    /// <summary>result[r - rowStart] = Σc M[r, c]·v[c] for r in [rowStart, rowStart + rowCount).</summary>
    public abstract void Multiply(ReadOnlySpan<float> vector, int rowStart, int rowCount, Span<float> result);

    /// <summary>result = M·v over all rows.</summary>
    public void Multiply(ReadOnlySpan<float> vector, Span<float> result) => Multiply(vector, 0, Rows, result);

    /// <summary>Creates the projection matching the matrix's precision.</summary>
    public static Projection Create(WeightMatrix matrix) =>
        matrix.Precision == ModelPrecision.Int8 ? new Int8Projection(matrix) : new FloatProjection(matrix);

    /// <summary>Rows are padded to a multiple of 32 elements so vector loops rarely need a tail.</summary>
    protected static int PaddedStride(int columns) => (columns + 31) & ~31;
}

/// <summary>float32 weights, padded rows.</summary>
internal sealed class FloatProjection : Projection
{
    private readonly float[] _matrix;
    private readonly int _stride;

    public FloatProjection(WeightMatrix matrix) : base(matrix.Rows, matrix.Columns)
    {
        _stride = PaddedStride(Columns);
        _matrix = new float[Rows * _stride];
        float[] values = matrix.ToFloat();
        for (int r = 0; r < Rows; r++)
            values.AsSpan(r * Columns, Columns).CopyTo(_matrix.AsSpan(r * _stride));
    }

    public override void Multiply(ReadOnlySpan<float> vector, int rowStart, int rowCount, Span<float> result) =>
        FloatMatVec.Multiply(_matrix.AsSpan(rowStart * _stride), rowCount, Columns, _stride, vector, result);
}

/// <summary>
/// int8 weights with per-row scales. Each call quantizes the vector symmetrically (one scale per call),
/// accumulates in int32 and dequantizes: result[r] = acc[r] · rowScale[r] · vectorScale.
/// </summary>
internal sealed class Int8Projection : Projection
{
    private readonly sbyte[] _matrix;
    private readonly int _stride;
    private readonly float[] _rowScales;
    private readonly int[] _biasedRowSums;
    private readonly sbyte[] _vector;
    private readonly byte[] _biasedVector;
    private readonly int[] _accumulator;

    public Int8Projection(WeightMatrix matrix) : base(matrix.Rows, matrix.Columns)
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
