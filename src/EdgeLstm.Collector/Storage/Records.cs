namespace EdgeLstm.Collector.Storage;

/// <summary>A device as the store knows it; <see cref="Online"/> and <see cref="StatusChangedUnixMs"/> are null until a status was recorded.</summary>
internal sealed record DeviceRecord(string DeviceId, long FirstSeenUnixMs, long LastSeenUnixMs, ulong? LatestSession, string? ModelId, ulong? HighestSequence, long Frames, long OpenGaps,
    bool? Online = null, long? StatusChangedUnixMs = null);

/// <summary>One stored Prediction; times are Unix ms, null when no Hello governs the frame.</summary>
internal sealed record PredictionRecord(ulong Sequence, ulong SessionId, long? TimeUnixMs, int Status, int AnomalyLevel, byte[] Probabilities, float[] Values, bool Historical);

/// <summary>One stored Alarm.</summary>
internal sealed record AlarmRecord(string DeviceId, ulong Sequence, ulong SessionId, long? TimeUnixMs, bool Raised, int ClassIndex, float Score, long DurationMs, bool Degraded, bool Historical);

/// <summary>One stored Health frame; per-channel counts as JSON arrays, the alarm thresholds (raise, clear per rule; NaN before commissioning) as floats.</summary>
internal sealed record HealthRecord(ulong Sequence, ulong SessionId, long? TimeUnixMs, long UptimeSeconds, long SamplesRead, long Overruns, string ChannelReadErrors,
    long InferenceP50Us, long InferenceP99Us, long InferenceMaxUs, long SendQueueDepth, long SendQueueDrops, long? CpuTemperatureMilliCelsius,
    long JournalBacklog, long JournalEvictions, long JournalDamaged, string ChannelReadTimeouts, string ChannelNonFinite, long ModelResets, bool Historical,
    float[] AlarmThresholds);

/// <summary>One stored Event: something that happened to the board itself (<see cref="EdgeLstm.Protocol.BoardEventKind"/> by number, unknown kinds kept).</summary>
internal sealed record EventRecord(string DeviceId, ulong Sequence, ulong SessionId, long? TimeUnixMs, int Kind, ulong UpdateVersion, string ModelId, string Message);

/// <summary>
/// A signed update the collector published to a board (<c>push-model</c>, <c>push-thresholds</c>): what
/// (<see cref="Kind"/> "model" or "thresholds"), its version, the pushed model's id (empty for thresholds), the
/// thresholds as text (empty for a model), the signing key's id, and when it was issued and expires (Unix ms).
/// </summary>
internal sealed record PushRecord(string DeviceId, string Kind, ulong UpdateVersion, string ModelId, string Thresholds, string KeyId, long IssuedUnixMs, long ExpiresUnixMs);

/// <summary>A run of sequences a device skipped; <see cref="ClosedUnixMs"/> is set once every missing frame arrived.</summary>
internal sealed record GapRecord(string DeviceId, ulong SessionId, ulong FromSequence, ulong ToSequence, long DetectedUnixMs, long? ClosedUnixMs);

/// <summary>A time range of an export, Unix ms, either end open.</summary>
internal readonly record struct TimeRange(long? FromUnixMs, long? ToUnixMs);
