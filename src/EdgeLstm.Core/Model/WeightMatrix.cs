namespace EdgeLstm.Core.Model;

/// <summary>
/// A row-major weight matrix in one of two representations: float32 values, or int8 values with one
/// symmetric scale per row (value ≈ <c>Quantized[r, c] * RowScales[r]</c>).
/// </summary>
public sealed class WeightMatrix
{
    private WeightMatrix(int rows, int columns, float[]? values, sbyte[]? quantized, float[]? rowScales)
    {
        Rows = rows;
        Columns = columns;
        Values = values;
        Quantized = quantized;
        RowScales = rowScales;
    }

    /// <summary>Number of rows (outputs).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (inputs).</summary>
    public int Columns { get; }

    /// <summary>The float32 values, row-major; null for an int8 matrix.</summary>
    public float[]? Values { get; }

    /// <summary>The int8 values in [-127, 127], row-major; null for a float32 matrix.</summary>
    public sbyte[]? Quantized { get; }

    /// <summary>One scale per row for <see cref="Quantized"/>; null for a float32 matrix.</summary>
    public float[]? RowScales { get; }

    /// <summary>The precision this matrix is stored in.</summary>
    public ModelPrecision Precision => Quantized is null ? ModelPrecision.Float32 : ModelPrecision.Int8;

    /// <summary>Wraps float32 values (not copied).</summary>
    public static WeightMatrix FromFloat(int rows, int columns, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckShape(rows, columns, values.Length);
        return new WeightMatrix(rows, columns, values, null, null);
    }

    /// <summary>Wraps int8 values and their row scales (not copied).</summary>
    public static WeightMatrix FromInt8(int rows, int columns, sbyte[] quantized, float[] rowScales)
    {
        ArgumentNullException.ThrowIfNull(quantized);
        ArgumentNullException.ThrowIfNull(rowScales);
        CheckShape(rows, columns, quantized.Length);
        if (rowScales.Length != rows)
            throw new ArgumentException($"{rowScales.Length} row scales for {rows} rows", nameof(rowScales));
        return new WeightMatrix(rows, columns, null, quantized, rowScales);
    }

    /// <summary>
    /// Quantizes a float32 matrix to int8, symmetric per row: scale = max|row| / 127, q = round(v / scale).
    /// An all-zero row gets scale 0 and zero values. An int8 matrix is returned as it is.
    /// </summary>
    public WeightMatrix Quantize()
    {
        if (Values is null) return this;
        var q = new sbyte[Values.Length];
        var scales = new float[Rows];
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> row = Values.AsSpan(r * Columns, Columns);
            float maxAbs = 0;
            foreach (float v in row) maxAbs = MathF.Max(maxAbs, MathF.Abs(v));
            if (maxAbs == 0) continue;
            float scale = maxAbs / 127f;
            scales[r] = scale;
            Span<sbyte> qRow = q.AsSpan(r * Columns, Columns);
            for (int c = 0; c < row.Length; c++)
                qRow[c] = (sbyte)Math.Clamp(MathF.Round(row[c] / scale), -127f, 127f);
        }
        return new WeightMatrix(Rows, Columns, null, q, scales);
    }

    /// <summary>The float32 values: <see cref="Values"/>, or the int8 values multiplied by their row scales.</summary>
    public float[] ToFloat()
    {
        if (Values is not null) return Values;
        var values = new float[Quantized!.Length];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
                values[r * Columns + c] = Quantized[r * Columns + c] * RowScales![r];
        }

        return values;
    }

    private static void CheckShape(int rows, int columns, int length)
    {
        if (rows <= 0 || columns <= 0 || (long)rows * columns != length)
            throw new ArgumentException($"a {rows}x{columns} matrix cannot hold {length} values");
    }
}
