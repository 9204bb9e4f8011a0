using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Ack on the wire: <c>[5, highestSequence(uint64), sessionId(uint64)]</c>; version 1 sent <c>[5, highestSequence]</c>.</summary>
internal sealed class AckFrameFormatter : IFrameFormatter<AckFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(FrameType.Ack, ["highestSequence"], ["sessionId"]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in AckFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.HighestSequence);
        writer.Write(frame.SessionId);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out AckFrame frame)
    {
        ulong sessionId = 0;
        bool ok = fields.TryReadUInt64(out ulong highest)
            && (fields.AtEnd || fields.TryReadUInt64(out sessionId));
        frame = new AckFrame { HighestSequence = highest, SessionId = sessionId };
        return ok;
    }
}
