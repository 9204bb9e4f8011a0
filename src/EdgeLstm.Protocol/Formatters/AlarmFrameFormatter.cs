using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Alarm on the wire: <c>[3, sequence, timeMs, raised, classIndex, score(float32), durationMs]</c>.</summary>
internal sealed class AlarmFrameFormatter : IFrameFormatter<AlarmFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Alarm,
        ["sequence", "timeMs", "raised", "classIndex", "score", "durationMs"]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in AlarmFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write(frame.Raised);
        writer.Write(frame.ClassIndex);
        writer.Write(frame.Score);
        writer.Write(frame.DurationMs);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out AlarmFrame frame)
    {
        frame = default;
        if (!(fields.TryReadUInt32(out uint sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadBoolean(out bool raised)
            && fields.TryReadInt32(out int classIndex)
            && fields.TryReadSingle(out float score)
            && fields.TryReadUInt32(out uint durationMs)))
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
        };
        return true;
    }
}
