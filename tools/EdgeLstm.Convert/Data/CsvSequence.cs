using System.Globalization;
using EdgeLstm.Convert.Onnx;

namespace EdgeLstm.Convert.Data;

/// <summary>
/// One sequence read from a CSV file: rows are time steps, columns are channels, with an optional header row.
/// When the header names every model channel, those columns are taken by name (in model order) and any other
/// column — a timestamp, a label — is ignored; otherwise the file must hold exactly one column per channel, in
/// model order. The delimiter is a comma, or a semicolon or tab when the first line has no comma.
/// </summary>
public sealed class CsvSequence
{
    private CsvSequence(string[]? header, int steps, int columns, float[] values)
    {
        Header = header;
        Steps = steps;
        Columns = columns;
        Values = values;
    }

    /// <summary>Column names from the header row; null when the file has none.</summary>
    public string[]? Header { get; }

    /// <summary>Number of data rows (time steps).</summary>
    public int Steps { get; }

    /// <summary>Values per row: the model's channel count.</summary>
    public int Columns { get; }

    /// <summary>The values in model channel order, row-major (steps × columns).</summary>
    public float[] Values { get; }

    /// <summary>Reads <paramref name="path"/> for a model with the given channel names.</summary>
    /// <exception cref="ConversionException">Missing or empty file, wrong column count, or a cell that is not a finite number (the message names the row and column).</exception>
    public static CsvSequence Load(string path, IReadOnlyList<string> channels)
    {
        if (!File.Exists(path)) throw new ConversionException($"{path}: file not found.");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException e)
        {
            throw new ConversionException($"{path}: cannot be read: {e.Message}", e);
        }
        return Parse(lines, path, channels);
    }

    /// <summary>Parses CSV lines; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="ConversionException">See <see cref="Load"/>.</exception>
    public static CsvSequence Parse(IReadOnlyList<string> lines, string source, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(channels);
        int first = 0;
        while (first < lines.Count && string.IsNullOrWhiteSpace(lines[first])) first++;
        if (first == lines.Count) throw new ConversionException($"{source}: the file is empty; expected one row per time step.");
        char delimiter = lines[first].Contains(',') ? ',' : lines[first].Contains(';') ? ';' : lines[first].Contains('\t') ? '\t' : ',';
        string[]? header = null;
        string[] firstCells = Split(lines[first], delimiter);
        int expected = channels.Count;
        int[] selected = [.. Enumerable.Range(0, expected)];
        bool byName = false;
        if (firstCells.All(c => !TryNumber(c, out _)))
        {
            header = firstCells;
            first++;
            int[] found = [.. channels.Select(name => Array.IndexOf(header, name))];
            if (found.All(i => i >= 0))
            {
                selected = found;
                byName = true;
            }
            else if (header.Length != expected)
            {
                string missing = string.Join(", ", channels.Where(n => Array.IndexOf(header, n) < 0).Take(3));
                throw new ConversionException($"{source}: the header has {header.Length} columns but the model takes {expected} channels, and it does not name them all (missing: {missing}).");
            }
        }
        var values = new List<float>();
        int steps = 0;
        for (int i = first; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            int row = i + 1; // 1-based line number, as an editor shows it
            string[] cells = Split(lines[i], delimiter);
            int needed = byName ? header!.Length : expected;
            if (cells.Length != needed)
            {
                throw new ConversionException(byName
                    ? $"{source}: row {row} has {cells.Length} columns but the header has {needed}."
                    : $"{source}: row {row} has {cells.Length} columns but the model takes {expected} channels.");
            }

            foreach (int c in selected)
            {
                if (!TryNumber(cells[c], out float v))
                    throw new ConversionException($"{source}: row {row}, column {c + 1}: '{cells[c]}' is not a number.");
                if (!float.IsFinite(v))
                    throw new ConversionException($"{source}: row {row}, column {c + 1}: '{cells[c]}' is not a finite number.");
                values.Add(v);
            }
            steps++;
        }
        if (steps == 0) throw new ConversionException($"{source}: no data rows; expected one row per time step.");
        return new CsvSequence(header, steps, expected, [.. values]);
    }

    private static string[] Split(string line, char delimiter) => [.. line.Split(delimiter).Select(c => c.Trim().Trim('"'))];

    private static bool TryNumber(string cell, out float value) =>
        float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
