using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// An alarm condition was raised or cleared by the decision stage.
/// Wire format: <c>AlarmFrameFormatter</c>, docs/protocol.md § 3.
/// </summary>
/// <remarks>Alarms are rare, so the score travels as an exact float32 rather than a quantized byte.</remarks>
public readonly struct AlarmFrame : IWireFrame
{
    /// <summary>The <see cref="ClassIndex"/> of an alarm on the anomaly score rather than on a class.</summary>
    public const int AnomalyClassIndex = -1;

    /// <summary>
    /// The board's frame counter, shared by every frame it sends (Hello included): +1 per frame, continued across
    /// restarts when the board keeps a journal. The frame belongs to the latest Hello with a lower sequence.
    /// </summary>
    public ulong Sequence { get; init; }

    /// <summary>Milliseconds since <see cref="HelloFrame.EpochUnixMs"/> of the session's Hello.</summary>
    public uint TimeMs { get; init; }

    /// <summary>True when the alarm was raised, false when it was cleared.</summary>
    public bool Raised { get; init; }

    /// <summary>The class the alarm is about (index into <see cref="HelloFrame.OutputLabels"/>), or <see cref="AnomalyClassIndex"/>.</summary>
    public int ClassIndex { get; init; }

    /// <summary>The score that crossed the threshold (probability or anomaly score).</summary>
    public float Score { get; init; }

    /// <summary>How long the condition had lasted when the alarm was raised or cleared, in milliseconds.</summary>
    public uint DurationMs { get; init; }

    /// <summary>
    /// Frame flags, e.g. <see cref="FrameFlags.Historical"/> when the frame is sent from the backlog rather than live;
    /// bit 7 is reserved. None when a version-1 sender left the field out.
    /// </summary>
    public FrameFlags Flags { get; init; }

    /// <summary>
    /// True when the sample at which the alarm changed was degraded (an input held or bad, or the model reset): the
    /// change may follow the rule's degraded-input policy rather than a score. False when an older sender left it out.
    /// </summary>
    public bool Degraded { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Alarm;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Flags"/> is above 127.</exception>
    public void WriteTo(ref MessagePackWriter writer) => AlarmFrameFormatter.Write(ref writer, this);
}
