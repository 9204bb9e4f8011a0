using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Event on the wire: <c>[6, sequence(uint64), timeMs, kind(fixint), updateVersion(uint64), modelId(str), message(str)]</c>.</summary>
internal sealed class EventFrameFormatter : IFrameFormatter<EventFrame>
{
    /// <inheritdoc />
    public static FrameFields Fields { get; } = new(
        FrameType.Event,
        [FrameFields.Sequence, "timeMs", "kind", "updateVersion", "modelId", "message"],
        []);

    /// <inheritdoc />
    public static void Write(ref MessagePackWriter writer, in EventFrame frame)
    {
        Fields.WriteHeader(ref writer);
        writer.Write(frame.Sequence);
        writer.Write(frame.TimeMs);
        writer.Write((byte)frame.Kind);
        writer.Write(frame.UpdateVersion);
        writer.Write(frame.ModelId ?? "");
        writer.Write(Truncate(frame.Message ?? ""));
    }

    /// <inheritdoc />
    public static bool TryRead(ref FieldReader fields, out EventFrame frame)
    {
        frame = default;
        if (!(fields.TryReadUInt64(out ulong sequence)
            && fields.TryReadUInt32(out uint timeMs)
            && fields.TryReadByte(FrameFields.MaxFixInt, out byte kind)
            && fields.TryReadUInt64(out ulong version)
            && fields.TryReadString(out string modelId)
            && fields.TryReadString(out string message)))
        {
            return false;
        }

        frame = new EventFrame { Sequence = sequence, TimeMs = timeMs, Kind = (BoardEventKind)kind, UpdateVersion = version, ModelId = modelId, Message = message };
        return true;
    }

    /// <summary>The message cut to <see cref="EventFrame.MaxMessageBytes"/> UTF-8 bytes at a character boundary.</summary>
    private static string Truncate(string message)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(message) <= EventFrame.MaxMessageBytes) return message;
        int length = message.Length;
        while (System.Text.Encoding.UTF8.GetByteCount(message.AsSpan(0, length)) > EventFrame.MaxMessageBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(message[length - 1])) length--;
        return string.Concat(message.AsSpan(0, length), "…");
    }
}
