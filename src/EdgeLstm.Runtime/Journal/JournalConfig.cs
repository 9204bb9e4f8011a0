using System.Globalization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// The board file's <c>journal</c> section: where frames are kept until the collector acknowledges them, how much
/// room they may take, and how often they are synced. Without a <c>path</c> the journal is kept in RAM.
/// </summary>
public sealed class JournalConfig
{
    /// <summary>Gets the journal's folder, relative to the config file; absent: the journal is kept in RAM.</summary>
    public string? Path { get; set; }

    /// <summary>Gets the bound on the journal's bytes (64 KiB … 1 TiB; default 64 MiB).</summary>
    public long MaxBytes { get; set; } = JournalOptions.DefaultMaxBytes;

    /// <summary>Gets the number of records after which the journal syncs (0: off, the default).</summary>
    public int SyncEveryFrames { get; set; }

    /// <summary>Gets the longest a written record waits for its sync, in milliseconds (0: off; default 100).</summary>
    public int SyncIntervalMs { get; set; } = JournalOptions.DefaultSyncIntervalMs;

    /// <summary>Checks the section; every problem by JSON path.</summary>
    /// <param name="problems">Where problems are added.</param>
    internal void Validate(List<ConfigProblem> problems)
    {
        if (Path is not null && string.IsNullOrWhiteSpace(Path))
        {
            problems.Add(new ConfigProblem("$.journal.path", "the journal path is empty.", "Name a folder, e.g. \"/var/lib/edgelstm/journal\", or leave path out to keep the journal in memory."));
        }

        if (MaxBytes is < JournalOptions.MinConfigMaxBytes or > JournalOptions.MaxConfigMaxBytes)
        {
            problems.Add(new ConfigProblem("$.journal.maxBytes",
                string.Create(CultureInfo.InvariantCulture, $"the journal's bound must be at least 65536 bytes (64 KiB) and at most 1099511627776 (1 TiB); got {MaxBytes}."),
                "Use e.g. 67108864 (64 MiB)."));
        }

        if (SyncEveryFrames < 0)
        {
            problems.Add(new ConfigProblem("$.journal.syncEveryFrames", $"syncEveryFrames cannot be negative; got {SyncEveryFrames}.", "Use 0 (off) or a number of frames, e.g. 50."));
        }

        if (SyncIntervalMs < 0)
        {
            problems.Add(new ConfigProblem("$.journal.syncIntervalMs", $"syncIntervalMs cannot be negative; got {SyncIntervalMs}.", "Use 0 (off) or milliseconds, e.g. 100."));
        }

        if (SyncEveryFrames == 0 && SyncIntervalMs == 0)
        {
            problems.Add(new ConfigProblem("$.journal", "syncEveryFrames and syncIntervalMs are both 0, so written frames would never be synced to storage.",
                "Set syncIntervalMs (e.g. 100) or syncEveryFrames (e.g. 50), or both."));
        }
    }

    /// <summary>The resolved options of a validated section; a relative path is taken from the config file's folder.</summary>
    /// <param name="baseDirectory">The config file's folder.</param>
    internal JournalOptions ToOptions(string baseDirectory) =>
        new(Path is null ? null : System.IO.Path.GetFullPath(Path, baseDirectory), MaxBytes, SyncEveryFrames, SyncIntervalMs);
}
