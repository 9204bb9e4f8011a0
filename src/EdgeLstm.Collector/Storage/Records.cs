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

/// <summary>A run of sequences a device skipped; <see cref="ClosedUnixMs"/> is set once every missing frame arrived.</summary>
internal sealed record GapRecord(string DeviceId, ulong SessionId, ulong FromSequence, ulong ToSequence, long DetectedUnixMs, long? ClosedUnixMs);

/// <summary>A time range of an export, Unix ms, either end open.</summary>
internal readonly record struct TimeRange(long? FromUnixMs, long? ToUnixMs);
