namespace EdgeLstm.Collector.Storage;

/// <summary>
/// What the web monitor reads and writes besides <see cref="IFrameStore"/>'s queries: the session history of a
/// device and operators' notes on alarms. Both stores implement it (through <see cref="DbFrameStore"/>).
/// </summary>
internal interface IMonitorStore
{
    /// <summary>The device's Hellos (its sessions), oldest first.</summary>
    IReadOnlyList<SessionRecord> Sessions(string deviceId);

    /// <summary>The time of the device's newest Prediction (null: none with a known time).</summary>
    long? LatestPredictionTime(string deviceId);

    /// <summary>The device's Health frame with the highest sequence (null: none yet).</summary>
    HealthRecord? LatestHealth(string deviceId);

    /// <summary>The newest Event of every device that sent one (the outcome of its last update), by device.</summary>
    IReadOnlyList<EventRecord> LatestEvents();

    /// <summary>Every note on an alarm, oldest first; of one device when <paramref name="deviceId"/> is given.</summary>
    IReadOnlyList<AlarmNoteRecord> AlarmNotes(string? deviceId);

    /// <summary>Stores an operator's note on the alarm (device, sequence).</summary>
    void AddAlarmNote(AlarmNoteRecord note);
}

/// <summary>One Hello of a device: the session it opened, what the board runs, and its epoch (Unix ms of board time 0).</summary>
internal sealed record SessionRecord(ulong HelloSequence, ulong SessionId, string ModelId, string Firmware, IReadOnlyList<string> ChannelNames, IReadOnlyList<string> OutputLabels,
    double SampleRateHz, long EpochUnixMs, long ReceivedUnixMs);

/// <summary>An operator's note on the alarm (<see cref="DeviceId"/>, <see cref="Sequence"/>): an acknowledgement.</summary>
internal sealed record AlarmNoteRecord(string DeviceId, ulong Sequence, string Note, string Author, long NotedUnixMs);
