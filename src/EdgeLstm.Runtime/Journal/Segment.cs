using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// One segment file as the journal keeps it in memory: what readers need to find records (its first sequence, the
/// open file, its published length) and what the writer needs to manage space (counts by kind, lowest and highest
/// sequence). Changed only by the writer, under <see cref="FrameJournal"/>'s segment lock.
/// </summary>
internal sealed class Segment(string name, ulong firstSequence, JournalFile file)
{
    /// <summary>The file's name.</summary>
    public string Name { get; } = name;

    /// <summary>The header's sequence: no record in the segment is below it, and no record of an earlier segment reaches it.</summary>
    public ulong FirstSequence { get; } = firstSequence;

    /// <summary>The open file (a new object after a rewrite).</summary>
    public JournalFile File { get; set; } = file;

    /// <summary>Bumped whenever records move (a rewrite), so readers drop their positions.</summary>
    public int Generation { get; set; }

    /// <summary>The bytes written and readable.</summary>
    public long Length { get; set; }

    /// <summary>The records in it.</summary>
    public int Records { get; set; }

    /// <summary>Records by <see cref="FrameType"/> (index 1…4).</summary>
    public int[] Kinds { get; } = new int[JournalFormat.KindSlots];

    /// <summary>The lowest record's sequence (when <see cref="Records"/> is not 0).</summary>
    public ulong MinSequence { get; set; } = ulong.MaxValue;

    /// <summary>The highest record's sequence (when <see cref="Records"/> is not 0).</summary>
    public ulong MaxSequence { get; set; }

    /// <summary>True once the segment was deleted.</summary>
    public bool Removed { get; set; }

    /// <summary>Counts one more record.</summary>
    public void Add(FrameType type, ulong sequence)
    {
        Records++;
        Kinds[(int)type]++;
        if (sequence < MinSequence) MinSequence = sequence;
        if (sequence > MaxSequence) MaxSequence = sequence;
    }

    /// <summary>Forgets every count (before a rewrite recounts).</summary>
    public void ClearCounts()
    {
        Records = 0;
        Array.Clear(Kinds);
        MinSequence = ulong.MaxValue;
        MaxSequence = 0;
    }
}
