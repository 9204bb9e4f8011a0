using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Ack on the wire: <c>[5, highestSequence]</c>.</summary>
internal sealed class AckFrameFormatter : IFrameFormatter<AckFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(FrameType.Ack, ["highestSequence"]);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in AckFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.HighestSequence);
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out AckFrame frame)
    {
        bool ok = fields.TryReadUInt32(out uint highest);
        frame = new AckFrame { HighestSequence = highest };
        return ok;
    }
}
