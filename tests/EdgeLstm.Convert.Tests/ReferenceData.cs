using System.Globalization;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// The fixtures' input.csv / expected.csv: header "seq,t,v0,…", one row per (sequence, time step).
/// </summary>
internal sealed class ReferenceData
{
    private ReferenceData(List<(int Seq, int T, float[] Values)> rows) => Rows = rows;

    public List<(int Seq, int T, float[] Values)> Rows { get; }

    public static ReferenceData Load(string path)
    {
        var rows = new List<(int, int, float[])>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            string[] cells = line.Split(',');
            rows.Add((int.Parse(cells[0], CultureInfo.InvariantCulture), int.Parse(cells[1], CultureInfo.InvariantCulture),
                cells.Skip(2).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray()));
        }
        return new ReferenceData(rows);
    }

    public IEnumerable<int> Sequences => Rows.Select(r => r.Seq).Distinct();

    /// <summary>The time steps of one sequence, row-major [T × width].</summary>
    public float[] Sequence(int seq) => Rows.Where(r => r.Seq == seq).OrderBy(r => r.T).SelectMany(r => r.Values).ToArray();

    public IEnumerable<(int T, float[] Values)> Of(int seq) => Rows.Where(r => r.Seq == seq).Select(r => (r.T, r.Values));
}
