namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// A journal's resolved settings: the validated <c>journal</c> section of a board file (<see cref="JournalConfig.ToOptions"/>),
/// or <c>edgelstm run --journal DIR</c> with the defaults (<see cref="ForPath"/>).
/// </summary>
internal sealed class JournalOptions
{
    /// <summary>64 MiB.</summary>
    public const long DefaultMaxBytes = 64L << 20;

    /// <summary>Unsynced records are synced at most this long after they were written.</summary>
    public const int DefaultSyncIntervalMs = 100;

    /// <summary>The Append queue between the sampling thread and the writer thread.</summary>
    public const int DefaultQueueBytes = 256 << 10;

    /// <summary>The smallest bound the config accepts.</summary>
    public const long MinConfigMaxBytes = 64L << 10;

    /// <summary>The largest bound the config accepts (1 TiB).</summary>
    public const long MaxConfigMaxBytes = 1L << 40;

    /// <summary>The smallest segment: its header and one record of the largest size.</summary>
    public const long MinSegmentBytes = JournalFormat.HeaderBytes + JournalFormat.MaxRecordBytes;

    private const long MinDerivedSegmentBytes = 64L << 10;
    private const long MaxDerivedSegmentBytes = 16L << 20;

    /// <summary>Creates resolved settings; the board file's limits are checked by <see cref="JournalConfig"/>, these only by what the format needs.</summary>
    /// <param name="path">The journal's folder (absolute), or null for a journal in RAM.</param>
    /// <param name="maxBytes">The bound on the segments' bytes.</param>
    /// <param name="syncEveryFrames">Sync after this many records (0: off).</param>
    /// <param name="syncIntervalMs">Sync records at most this many milliseconds after they were written (0: off).</param>
    /// <param name="segmentBytes">Roll to a new segment at this size; 0 derives it: maxBytes / 16, within 64 KiB … 16 MiB (never more than maxBytes).</param>
    /// <param name="queueBytes">The Append queue's size.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value the journal cannot work with.</exception>
    public JournalOptions(string? path, long maxBytes = DefaultMaxBytes, int syncEveryFrames = 0, int syncIntervalMs = DefaultSyncIntervalMs,
        long segmentBytes = 0, int queueBytes = DefaultQueueBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2 * MinSegmentBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(syncEveryFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(syncIntervalMs);
        if (syncEveryFrames == 0 && syncIntervalMs == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(syncIntervalMs), "at least one of syncEveryFrames and syncIntervalMs must be non-zero");
        }

        if (segmentBytes == 0)
        {
            segmentBytes = Math.Min(maxBytes, Math.Clamp(maxBytes / 16, MinDerivedSegmentBytes, MaxDerivedSegmentBytes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, MinSegmentBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segmentBytes, Math.Min(maxBytes, int.MaxValue));
        ArgumentOutOfRangeException.ThrowIfLessThan(queueBytes, 2 * JournalFormat.MaxRecordBytes);
        Path = path;
        MaxBytes = maxBytes;
        SyncEveryFrames = syncEveryFrames;
        SyncIntervalMs = syncIntervalMs;
        SegmentBytes = segmentBytes;
        QueueBytes = queueBytes;
    }

    /// <summary>The journal's folder, or null for a journal in RAM.</summary>
    public string? Path { get; }

    /// <summary>The bound on the segments' bytes on storage.</summary>
    public long MaxBytes { get; }

    /// <summary>Sync after this many records (0: off).</summary>
    public int SyncEveryFrames { get; }

    /// <summary>Sync records at most this long after they were written (0: off).</summary>
    public int SyncIntervalMs { get; }

    /// <summary>The size at which the writer starts a new segment.</summary>
    public long SegmentBytes { get; }

    /// <summary>The Append queue's size in bytes.</summary>
    public int QueueBytes { get; }

    /// <summary>The defaults for a folder (<c>--journal DIR</c>), or for RAM when <paramref name="path"/> is null.</summary>
    public static JournalOptions ForPath(string? path) => new(path is null ? null : System.IO.Path.GetFullPath(path));

    /// <summary>The storage these options name: the folder, or RAM.</summary>
    /// <exception cref="JournalException">The folder cannot be used.</exception>
    public JournalStorage CreateStorage() => Path is null ? new MemoryJournalStorage() : new DiskJournalStorage(Path);
}
