using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Periodic board health. Wire format: <c>HealthFrameFormatter</c>, docs/protocol.md § 4.
/// </summary>
/// <remarks>
/// <see cref="ChannelReadErrors"/> and the other per-channel counts are caller-owned arrays, so the runtime updates its counters in place and encodes
/// without allocating.
/// </remarks>
public readonly struct HealthFrame : IWireFrame
{
    /// <summary>
    /// The board's frame counter, shared by every frame it sends (Hello included): +1 per frame, continued across
    /// restarts when the board keeps a journal. The frame belongs to the latest Hello with a lower sequence.
    /// </summary>
    public ulong Sequence { get; init; }

    /// <summary>Milliseconds since <see cref="HelloFrame.EpochUnixMs"/> of the session's Hello.</summary>
    public uint TimeMs { get; init; }

    /// <summary>Seconds since the runtime process started.</summary>
    public uint UptimeSeconds { get; init; }

    /// <summary>Samples read since start (all channels together count as one sample).</summary>
    public ulong SamplesRead { get; init; }

    /// <summary>Sampling ticks missed because the previous one was still running.</summary>
    public uint Overruns { get; init; }

    /// <summary>Failed reads per input channel, in the order of <see cref="HelloFrame.ChannelNames"/>.</summary>
    public ReadOnlyMemory<uint> ChannelReadErrors { get; init; }

    /// <summary>Median inference time over the last period, in microseconds.</summary>
    public uint InferenceP50Us { get; init; }

    /// <summary>99th percentile inference time over the last period, in microseconds.</summary>
    public uint InferenceP99Us { get; init; }

    /// <summary>Longest inference time over the last period, in microseconds.</summary>
    public uint InferenceMaxUs { get; init; }

    /// <summary>Frames waiting in the send queue when this frame was built.</summary>
    public uint SendQueueDepth { get; init; }

    /// <summary>Frames dropped because the send queue was full, since start.</summary>
    public uint SendQueueDrops { get; init; }

    /// <summary>CPU temperature in milli-degrees Celsius (the unit of Linux thermal zones), or null when unknown.</summary>
    public int? CpuTemperatureMilliCelsius { get; init; }

    /// <summary>Frames in the board's journal that the collector has not acknowledged yet (0 without a journal).</summary>
    public uint JournalBacklog { get; init; }

    /// <summary>Frames the journal evicted, unacknowledged, to stay within its size bound, since the journal was created.</summary>
    public ulong JournalEvictions { get; init; }

    /// <summary>Damaged journal segments quarantined at start-up, since the journal was created.</summary>
    public uint JournalDamaged { get; init; }

    /// <summary>
    /// Frame flags, e.g. <see cref="FrameFlags.Historical"/> when the frame is sent from the backlog rather than live;
    /// bit 7 is reserved. None when a version-1 sender left the field out.
    /// </summary>
    public FrameFlags Flags { get; init; }

    /// <summary>
    /// Reads abandoned at their deadline per input channel (a sensor or bus that stopped answering), in the order of
    /// <see cref="HelloFrame.ChannelNames"/>; empty when an older sender left it out.
    /// </summary>
    public ReadOnlyMemory<uint> ChannelReadTimeouts { get; init; }

    /// <summary>
    /// Samples per input channel whose value was not finite after scaling or normalization (and was held or marked bad
    /// instead of reaching the model), in the order of <see cref="HelloFrame.ChannelNames"/>; empty when left out.
    /// </summary>
    public ReadOnlyMemory<uint> ChannelNonFinite { get; init; }

    /// <summary>Times the model's output was not finite and its state was reset, since start.</summary>
    public uint ModelResets { get; init; }

    /// <summary>
    /// The thresholds in force, two per alarm rule in the rule order of the board's config: raise, clear, raise, clear…;
    /// NaN for a rule whose commissioning has not set them yet. Empty when the board has no alarm rules or an older
    /// sender left the field out.
    /// </summary>
    public ReadOnlyMemory<float> AlarmThresholds { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Health;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Flags"/> is above 127.</exception>
    public void WriteTo(ref MessagePackWriter writer) => HealthFrameFormatter.Write(ref writer, this);
}
