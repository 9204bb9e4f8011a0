using System.Globalization;

namespace EdgeLstm.Evaluate.Skab;

/// <summary>Reads columns of a SKAB CSV (<c>;</c>-separated, CRLF or LF): the <c>anomaly</c> labels for scoring, channels for plots.</summary>
public static class LabelReader
{
    /// <summary>One flag per data row: true where <c>anomaly</c> is 1. Used only for scoring, never for a threshold.</summary>
    /// <param name="csvPath">The recording.</param>
    /// <returns>The labels in row order.</returns>
    /// <exception cref="EvaluationException">No <c>anomaly</c> column, or a value that is not a number.</exception>
    public static bool[] ReadAnomaly(string csvPath) => [.. ReadColumn(csvPath, "anomaly").Select(v => v >= 0.5)];

    /// <summary>One numeric column, in row order.</summary>
    /// <param name="csvPath">The recording.</param>
    /// <param name="name">The column header.</param>
    /// <returns>The values.</returns>
    /// <exception cref="EvaluationException">No such column, or a value that is not a number.</exception>
    public static double[] ReadColumn(string csvPath, string name)
    {
        using var reader = new StreamReader(csvPath);
        string header = reader.ReadLine() ?? throw new EvaluationException($"{csvPath}: empty file");
        int column = Array.IndexOf(header.Trim().Split(';'), name);
        if (column < 0)
        {
            throw new EvaluationException($"{csvPath}: no '{name}' column");
        }

        var values = new List<double>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = line.Trim().Split(';');
            if (column >= cells.Length || !double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new EvaluationException($"{csvPath}: row {values.Count}: bad '{name}' value");
            }

            values.Add(value);
        }

        return [.. values];
    }
}
