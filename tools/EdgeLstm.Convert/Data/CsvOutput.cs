using System.Globalization;

namespace EdgeLstm.Convert.Data;

/// <summary>Writes prediction rows as CSV with a header of output names.</summary>
public static class CsvOutput
{
    /// <summary>Writes <paramref name="rows"/> under a header of <paramref name="names"/>; floats round-trip exactly.</summary>
    public static void Write(string path, IReadOnlyList<string> names, IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StreamWriter(path);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', names.Select(Quote)));
        foreach (float[] row in rows)
            writer.WriteLine(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }

    private static string Quote(string name) => name.Contains(',') || name.Contains('"') ? '"' + name.Replace("\"", "\"\"") + '"' : name;
}
