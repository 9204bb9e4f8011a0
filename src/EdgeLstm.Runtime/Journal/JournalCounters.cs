namespace EdgeLstm.Runtime.Journal;

/// <summary>A snapshot of what a journal has done since it was opened (and, where said, ever). A struct: reading it allocates nothing.</summary>
internal readonly record struct JournalCounters
{
    /// <summary>Records accepted by Append.</summary>
    public long Appended { get; init; }

    /// <summary>Records written to storage.</summary>
    public long Written { get; init; }

    /// <summary>Records made durable (synced; on RAM storage, written).</summary>
    public long Synced { get; init; }

    /// <summary>Syncs (fsync of a segment) made.</summary>
    public long Syncs { get; init; }

    /// <summary>The bytes of the segment files now.</summary>
    public long BytesOnStorage { get; init; }

    /// <summary>Segment files now.</summary>
    public int Segments { get; init; }

    /// <summary>Records in the journal that the slowest consumer has not acknowledged (every record when no consumer is registered).</summary>
    public long Backlog { get; init; }

    /// <summary>Unacknowledged Prediction records evicted to stay in bounds, ever (kept in the state file).</summary>
    public long EvictedPredictions { get; init; }

    /// <summary>Unacknowledged Health records evicted, ever.</summary>
    public long EvictedHealth { get; init; }

    /// <summary>Unacknowledged Alarm records evicted, ever.</summary>
    public long EvictedAlarms { get; init; }

    /// <summary>Hello records evicted, ever.</summary>
    public long EvictedHellos { get; init; }

    /// <summary>Event records evicted (after Alarms, before Hellos).</summary>
    public long EvictedEvents { get; init; }

    /// <summary>Records Append refused because its queue was full.</summary>
    public long DroppedQueueFull { get; init; }

    /// <summary>Records the writer could not store: storage full with nothing left to evict, or a write error.</summary>
    public long DroppedWriteFailures { get; init; }

    /// <summary>Records Append refused as malformed: a payload over 4 KiB, a sequence not above the previous one, an Ack frame.</summary>
    public long DroppedInvalid { get; init; }

    /// <summary>Damaged segments found and quarantined at start-up, ever (kept in the state file).</summary>
    public long DamagedSegments { get; init; }

    /// <summary>Every eviction, whatever the kind.</summary>
    public long Evicted => EvictedPredictions + EvictedHealth + EvictedAlarms + EvictedEvents + EvictedHellos;

    /// <summary>Every drop, whatever the reason.</summary>
    public long Dropped => DroppedQueueFull + DroppedWriteFailures + DroppedInvalid;
}
