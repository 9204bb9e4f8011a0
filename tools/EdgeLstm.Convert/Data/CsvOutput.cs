namespace EdgeLstm.Convert.Data;

/// <summary>Writes prediction rows as CSV with a header of output names.</summary>
public static class CsvOutput
{
    /// <summary>
    /// Writes <paramref name="rows"/> under a header of <paramref name="names"/>; every value in plain decimal notation
    /// (<see cref="PlainNumber"/>), which reads back as exactly the same float.
    /// </summary>
    public static void Write(string path, IReadOnlyList<string> names, IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StreamWriter(path);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', names.Select(Quote)));
        foreach (float[] row in rows)
            writer.WriteLine(string.Join(',', row.Select(PlainNumber.Format)));
    }

    private static string Quote(string name) => name.Contains(',') || name.Contains('"') ? '"' + name.Replace("\"", "\"\"") + '"' : name;
}
