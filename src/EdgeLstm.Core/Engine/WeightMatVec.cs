using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Engine;

/// <summary>
/// One weight matrix (a cell's W or R, or a dense layer's W) ready to multiply float32 vectors:
/// <c>result = M·v</c> over all rows or a block of rows. The float32 and int8 engines differ only here; the cell
/// equations around it are shared.
/// </summary>
internal abstract class WeightMatVec
{
    protected WeightMatVec(int rows, int columns)
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

    /// <summary>Creates the product matching the matrix's precision: <see cref="Int8WeightMatVec"/> or <see cref="FloatWeightMatVec"/>.</summary>
    public static WeightMatVec Create(WeightMatrix matrix) =>
        matrix.Precision == ModelPrecision.Int8 ? new Int8WeightMatVec(matrix) : new FloatWeightMatVec(matrix);

    /// <summary>Rows are padded to a multiple of 32 elements so vector loops rarely need a tail.</summary>
    protected static int PaddedStride(int columns) => (columns + 31) & ~31;
}
