namespace EdgeLstm.Runtime.Journal;

/// <summary>A damaged segment found at start-up: where, why, and what was kept.</summary>
/// <param name="File">The segment's file name.</param>
/// <param name="Offset">The byte offset of the damage.</param>
/// <param name="Reason">The damage in words.</param>
/// <param name="SalvagedRecords">Good records before the damage, kept in a fresh segment.</param>
/// <param name="QuarantinedAs">Where the damaged file went, e.g. <c>quarantine/00000000000000000000.seg</c>; empty when it could not be moved.</param>
internal sealed record DamagedSegment(string File, long Offset, string Reason, int SalvagedRecords, string QuarantinedAs);

/// <summary>What a journal's start-up found and did.</summary>
internal sealed class JournalRecovery
{
    /// <summary>Records in the journal after recovery.</summary>
    public long Records { get; init; }

    /// <summary>Segment files after recovery.</summary>
    public int Segments { get; init; }

    /// <summary>Bytes of the segment files after recovery.</summary>
    public long Bytes { get; init; }

    /// <summary>Bytes of torn tails (power loss) cut from the newest segment, and of a newest segment too short for its header.</summary>
    public long TornBytes { get; init; }

    /// <summary>Damaged segments quarantined at this start.</summary>
    public IReadOnlyList<DamagedSegment> Quarantined { get; init; } = [];

    /// <summary>Where the emitter resumes (the journal's <see cref="FrameJournal.NextSequence"/> at open).</summary>
    public ulong ResumedSequence { get; init; }

    /// <summary>True when the state file was missing or damaged and rebuilt from the segments (nothing acknowledged).</summary>
    public bool StateRebuilt { get; init; }

    /// <summary>Why the state file was rebuilt ("missing", or what was wrong with it); empty when it was read.</summary>
    public string StateProblem { get; init; } = "";

    /// <summary>Files in the folder that are not the journal's, left alone.</summary>
    public IReadOnlyList<string> IgnoredFiles { get; init; } = [];
}
