using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Cli;

/// <summary>Opens the journal a run writes every frame to, before any sink sees the frame.</summary>
internal static class JournalStart
{
    /// <summary>The bound of a journal in RAM when the config gives none: ≈ 100 000 Predictions, minutes to hours of outage.</summary>
    public const long RamMaxBytes = 4L << 20;

    /// <summary>
    /// The journal in <paramref name="directory"/> (<c>--journal</c>), else in the config's <c>journal.path</c>
    /// (relative to the config file); a journal in RAM when neither is given but a sink delivers with
    /// acknowledgements (TCP, serial, MQTT), so delivery has one code path; null when nothing needs one. Recovery runs
    /// here and logs what it found. Throws <see cref="JournalException"/> when the folder cannot be used.
    /// </summary>
    public static FrameJournal? Open(RuntimeSetup setup, string? directory, TextWriter log)
    {
        JournalConfig? config = setup.Sections.Journal;
        string? path = directory ?? (config?.Path is { } relative ? Path.GetFullPath(relative, setup.Board.BaseDirectory) : null);
        bool delivers = setup.Sections.Sinks?.Any(s => s.Type is SinkKind.Tcp or SinkKind.Serial or SinkKind.Mqtt) == true;
        if (path is null && !delivers) return null;
        JournalOptions options = path is null
            ? new JournalOptions(null, config?.MaxBytes ?? RamMaxBytes, config?.SyncEveryFrames ?? 0, config?.SyncIntervalMs ?? JournalOptions.DefaultSyncIntervalMs)
            : config is null ? JournalOptions.ForPath(path)
            : new JournalOptions(path, config.MaxBytes, config.SyncEveryFrames, config.SyncIntervalMs);
        return FrameJournal.Open(options.CreateStorage(), options, log);
    }
}
