using System.Globalization;

namespace EdgeLstm.Evaluate.Skab;

/// <summary>Reads the <c>anomaly</c> column of a SKAB CSV (<c>;</c>-separated, CRLF or LF) — the ground truth, used only for scoring.</summary>
public static class LabelReader
{
    /// <summary>One flag per data row: true where <c>anomaly</c> is 1.</summary>
    /// <param name="csvPath">The recording.</param>
    /// <returns>The labels in row order.</returns>
    /// <exception cref="EvaluationException">No <c>anomaly</c> column, or a value that is not a number.</exception>
    public static bool[] ReadAnomaly(string csvPath)
    {
        using var reader = new StreamReader(csvPath);
        string header = reader.ReadLine() ?? throw new EvaluationException($"{csvPath}: empty file");
        int column = Array.IndexOf(header.Trim().Split(';'), "anomaly");
        if (column < 0)
        {
            throw new EvaluationException($"{csvPath}: no 'anomaly' column");
        }

        var labels = new List<bool>();
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
                throw new EvaluationException($"{csvPath}: row {labels.Count}: bad 'anomaly' value");
            }

            labels.Add(value >= 0.5);
        }

        return [.. labels];
    }
}
