using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Ack on the wire: <c>[5, highestSequence(uint64), sessionId(uint64)]</c>, and a range Ack
/// <c>[5, highestSequence, sessionId, lowestSequence(uint64)]</c>; version 1 sent <c>[5, highestSequence]</c>.
/// </summary>
internal sealed class AckFrameFormatter : IFrameFormatter<AckFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(FrameType.Ack, ["highestSequence"], ["sessionId", "lowestSequence"]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in AckFrame frame)
    {
        // An Ack of an ordered link leaves lowestSequence out: its meaning is the link's order, not a range.
        Fields.WriteHeader(ref writer, frame.LowestSequence.HasValue ? Fields.Count : Fields.Count - 1);
        writer.Write(frame.HighestSequence);
        writer.Write(frame.SessionId);
        if (frame.LowestSequence is ulong lowest) writer.Write(lowest);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out AckFrame frame)
    {
        ulong sessionId = 0;
        ulong lowest = 0;
        bool ok = fields.TryReadUInt64(out ulong highest)
            && (fields.AtEnd || fields.TryReadUInt64(out sessionId));
        bool range = ok && !fields.AtEnd;
        ok = ok && (!range || fields.TryReadUInt64(out lowest));
        frame = new AckFrame { HighestSequence = highest, SessionId = sessionId, LowestSequence = range ? lowest : null };
        return ok;
    }
}
