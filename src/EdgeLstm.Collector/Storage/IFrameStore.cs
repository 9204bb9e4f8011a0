namespace EdgeLstm.Collector.Storage;

/// <summary>
/// Where frames are kept. Every implementation de-duplicates on (device, sequence), records gaps, and writes one
/// batch in one transaction: <see cref="Commit"/> returns only after that transaction is durable, so an ingest may
/// acknowledge what it handed over once it returns, and must not when it throws.
/// </summary>
internal interface IFrameStore : IDisposable
{
    /// <summary>A short description for logs, e.g. the database file.</summary>
    string Name { get; }

    /// <summary>Stores a batch in one transaction; throws when it did not commit (then nothing of it is stored).</summary>
    /// <param name="batch">The frames, in the order they arrived on their link.</param>
    /// <returns>What was stored, duplicated and gapped.</returns>
    CommitResult Commit(IReadOnlyList<ReceivedFrame> batch);

    /// <summary>
    /// Records a device's online/offline status at <paramref name="atUnixMs"/> (an MQTT birth or last-will message),
    /// creating its row when the device is new; a status older than the stored one is ignored.
    /// </summary>
    void RecordStatus(string deviceId, bool online, long atUnixMs);

    /// <summary>Every device, by id.</summary>
    IReadOnlyList<DeviceRecord> Devices();

    /// <summary>Alarms by device and sequence; with <paramref name="openOnly"/>, only the latest change of each (device, class) when it is a raise.</summary>
    IReadOnlyList<AlarmRecord> Alarms(string? deviceId, bool openOnly);

    /// <summary>The device's Predictions by sequence within <paramref name="range"/>.</summary>
    IReadOnlyList<PredictionRecord> Predictions(string deviceId, TimeRange range);

    /// <summary>The device's Health frames by sequence within <paramref name="range"/>.</summary>
    IReadOnlyList<HealthRecord> Health(string deviceId, TimeRange range);

    /// <summary>The device's gaps, open and closed, by first missing sequence.</summary>
    IReadOnlyList<GapRecord> Gaps(string deviceId);

    /// <summary>The output labels of the device's latest session (empty when it has none).</summary>
    IReadOnlyList<string> OutputLabels(string deviceId);

    /// <summary>Events (updates applied, refused, rolled back) by device and sequence within <paramref name="range"/>; of one device when <paramref name="deviceId"/> is given.</summary>
    IReadOnlyList<EventRecord> Events(string? deviceId, TimeRange range);

    /// <summary>Records a signed update published to a board (one statement, committed when it returns).</summary>
    void RecordPush(PushRecord push);

    /// <summary>The pushes recorded, oldest first; of one device when <paramref name="deviceId"/> is given.</summary>
    IReadOnlyList<PushRecord> Pushes(string? deviceId);
}
