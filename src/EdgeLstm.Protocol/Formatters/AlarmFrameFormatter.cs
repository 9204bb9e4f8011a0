using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Alarm on the wire: <c>[3, sequence(uint64), timeMs, raised, classIndex, score(float32), durationMs, flags(fixint), degraded]</c>;
/// version 1 ended before <c>flags</c>, early version-2 senders after it.
/// </summary>
internal sealed class AlarmFrameFormatter : IFrameFormatter<AlarmFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Alarm,
        [FrameFields.Sequence, "timeMs", "raised", "classIndex", "score", "durationMs"],
        [FrameFields.Flags, "degraded"]);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The flags use bit 7.</exception>
    public static void Write(ref MessagePackWriter writer, in AlarmFrame frame)
    {
        Fields.CheckFlags(frame.Flags, frame.Sequence);
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write(frame.Raised);
        writer.Write(frame.ClassIndex);
        writer.Write(frame.Score);
        writer.Write(frame.DurationMs);
        writer.Write((byte)frame.Flags);
        writer.Write(frame.Degraded);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out AlarmFrame frame)
    {
        frame = default;
        FrameFlags flags = FrameFlags.None;
        bool degraded = false;
        if (!(fields.TryReadUInt64(out ulong sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadBoolean(out bool raised)
            && fields.TryReadInt32(out int classIndex)
            && fields.TryReadSingle(out float score)
            && fields.TryReadUInt32(out uint durationMs)
            && (fields.AtEnd || fields.TryReadFlags(out flags))
            && (fields.AtEnd || fields.TryReadBoolean(out degraded))))
        {
            return false;
        }

        frame = new AlarmFrame
        {
            Sequence = sequence,
            TimeMs = timeMs,
            Raised = raised,
            ClassIndex = classIndex,
            Score = score,
            DurationMs = durationMs,
            Flags = flags,
            Degraded = degraded,
        };
        return true;
    }
}
