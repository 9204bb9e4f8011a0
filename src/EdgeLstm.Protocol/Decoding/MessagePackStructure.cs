using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Walks a payload once before any field is read, so everything after can trust lengths: exactly one value,
/// every declared length inside the payload, nesting and element counts within <see cref="DecoderLimits"/>.
/// Never calls <see cref="MessagePackReader.Skip"/> on a container, so hostile nesting cannot recurse unbounded.
/// </summary>
internal static class MessagePackStructure
{
    /// <summary>Checks <paramref name="payload"/>; on failure <paramref name="error"/> names the problem and its offset.</summary>
    public static bool TryValidate(ReadOnlyMemory<byte> payload, DecoderLimits limits, out FrameError error)
    {
        var reader = new MessagePackReader(payload);
        try
        {
            if (!TryWalk(ref reader, depth: 1, limits, out error))
            {
                return false;
            }
        }
        catch (EndOfStreamException)
        {
            error = new FrameError(FrameErrorKind.TruncatedPayload, "a value ends after the end of the payload", (int)reader.Consumed);
            return false;
        }
        catch (MessagePackSerializationException exception)
        {
            error = new FrameError(FrameErrorKind.InvalidMessagePack, exception.Message, (int)reader.Consumed);
            return false;
        }

        if (!reader.End)
        {
            error = new FrameError(
                FrameErrorKind.TrailingBytes,
                $"{payload.Length - reader.Consumed} bytes follow the frame's array",
                (int)reader.Consumed);
            return false;
        }

        return true;
    }

    private static bool TryWalk(ref MessagePackReader reader, int depth, DecoderLimits limits, out FrameError error)
    {
        error = default;
        int offset = (int)reader.Consumed;
        if (reader.End)
        {
            error = new FrameError(FrameErrorKind.TruncatedPayload, "the payload ends where a value should start", offset);
            return false;
        }

        MessagePackType type = reader.NextMessagePackType;
        if (type is not (MessagePackType.Array or MessagePackType.Map))
        {
            if (type == MessagePackType.Unknown)
            {
                error = new FrameError(FrameErrorKind.InvalidMessagePack, $"byte 0x{reader.NextCode:X2} is not a MessagePack type", offset);
                return false;
            }

            // Scalars (including str, bin and ext) have no nesting, so the library's own skip is safe here.
            try
            {
                reader.Skip();
            }
            catch (EndOfStreamException)
            {
                error = new FrameError(FrameErrorKind.TruncatedPayload, $"the {type} value runs past the end of the payload", offset);
                return false;
            }

            return true;
        }

        if (depth > limits.MaxNestingDepth)
        {
            error = new FrameError(FrameErrorKind.NestingTooDeep, $"nesting depth {depth} is over the limit of {limits.MaxNestingDepth}", offset);
            return false;
        }

        bool isMap = type == MessagePackType.Map;
        int count;
        bool headerComplete = isMap ? reader.TryReadMapHeader(out count) : reader.TryReadArrayHeader(out count);
        if (!headerComplete)
        {
            error = new FrameError(FrameErrorKind.TruncatedPayload, $"the {(isMap ? "map" : "array")} header is cut off", offset);
            return false;
        }

        string what = isMap ? "map" : "array";
        if (count > limits.MaxArrayLength)
        {
            error = new FrameError(FrameErrorKind.LengthOverLimit, $"{what} of {count} elements is over the limit of {limits.MaxArrayLength}", offset);
            return false;
        }

        long values = isMap ? 2L * count : count;
        long remaining = reader.Sequence.Length - reader.Consumed;

        // Every value takes at least one byte; checking up front also bounds the loop below by the payload size.
        if (values > remaining)
        {
            error = new FrameError(FrameErrorKind.TruncatedPayload, $"{what} claims {count} elements but only {remaining} bytes follow", offset);
            return false;
        }

        for (long i = 0; i < values; i++)
        {
            if (!TryWalk(ref reader, depth + 1, limits, out error))
            {
                return false;
            }
        }

        return true;
    }
}
