namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// What a journal folder holds, read without changing anything (<c>edgelstm journal</c>): the same scan as start-up,
/// reporting what recovery would do instead of doing it. Safe while a board runs on the folder.
/// </summary>
internal sealed class JournalInspection
{
    private JournalInspection(string location)
    {
        Location = location;
    }

    /// <summary>The folder.</summary>
    public string Location { get; }

    /// <summary>Every segment in order, with what its scan found.</summary>
    public IReadOnlyList<SegmentScan> Segments { get; private set; } = [];

    /// <summary>The state file, or null when it is missing or damaged (<see cref="StateProblem"/>).</summary>
    public JournalState? State { get; private set; }

    /// <summary>Empty when the state file was read, "missing", or what is wrong with it.</summary>
    public string StateProblem { get; private set; } = "";

    /// <summary>Files that are not the journal's.</summary>
    public IReadOnlyList<string> IgnoredFiles { get; private set; } = [];

    /// <summary>Files left by an interrupted rewrite or salvage (the next start finishes or removes them).</summary>
    public IReadOnlyList<string> Temporaries { get; private set; } = [];

    /// <summary>Files in <c>quarantine/</c>.</summary>
    public IReadOnlyList<string> Quarantine { get; private set; } = [];

    /// <summary>
    /// Scans <paramref name="directory"/> read-only; <paramref name="visitor"/> sees every record the next start would
    /// keep, in sequence order.
    /// </summary>
    /// <exception cref="JournalException">The folder does not exist, is a file, or cannot be read.</exception>
    public static JournalInspection Inspect(string directory, RecordVisitor? visitor)
    {
        using DiskJournalStorage storage = DiskJournalStorage.OpenReadOnly(directory);
        var inspection = new JournalInspection(storage.Location);
        try
        {
            inspection.Scan(storage, visitor);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DiskJournalStorage.Unusable(storage.Location, e);
        }

        return inspection;
    }

    private void Scan(JournalStorage storage, RecordVisitor? visitor)
    {
        var names = new List<(ulong First, string Name)>();
        var ignored = new List<string>();
        var temporaries = new List<string>();
        foreach (string name in storage.List().Order(StringComparer.Ordinal))
        {
            if (JournalFormat.TryParseSegmentName(name, out ulong first)) names.Add((first, name));
            else if (name == JournalFormat.StateFileName) continue;
            else if (name.EndsWith(JournalFormat.TemporarySuffix, StringComparison.Ordinal)) temporaries.Add(name);
            else ignored.Add(name);
        }

        names.Sort((a, b) => a.First.CompareTo(b.First));
        State = JournalStateFile.Read(storage, out string problem);
        StateProblem = State is null ? (problem.Length == 0 ? "missing" : problem) : "";
        var window = new RecordWindow(64 << 10);
        var scans = new List<SegmentScan>();
        ulong floor = 0;
        for (int i = 0; i < names.Count; i++)
        {
            using JournalFile file = storage.Open(names[i].Name);
            SegmentScan scan = SegmentScanner.Scan(file, names[i].Name, names[i].First, floor, i == names.Count - 1, window, visitor);
            if (scan.Records > 0) floor = scan.MaxSequence + 1;
            scans.Add(scan);
        }

        Segments = scans;
        IgnoredFiles = ignored;
        Temporaries = temporaries;
        Quarantine = [.. storage.ListQuarantine().Order(StringComparer.Ordinal)];
    }
}
