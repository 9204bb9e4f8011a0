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

    /// <summary>
    /// Skips one value of a payload that <see cref="TryValidate"/> accepted, containers included, without recursion:
    /// a count of values still to skip grows by each container's element count. Only for validated payloads, whose
    /// lengths are known to fit, so nothing here can run past the end.
    /// </summary>
    public static void SkipValidated(ref MessagePackReader reader)
    {
        long pending = 1;
        while (pending-- > 0)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Array:
                    pending += reader.ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    pending += 2L * reader.ReadMapHeader();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static bool TrySkipScalar(ref MessagePackReader reader, MessagePackType type, int offset, out FrameError error)
    {
        error = default;
        if (type is MessagePackType.String or MessagePackType.Binary or MessagePackType.Extension)
        {
            // The library's Skip trusts a 32-bit length (a hostile 0xFFFFFFFF makes it throw an argument error),
            // so the declared size is read and checked against what is left before skipping.
            long remaining = reader.Sequence.Length - offset;
            if (!TryGetDeclaredSize(reader.Sequence.Slice(offset, Math.Min(remaining, MaxHeaderBytes)).FirstSpan, out long size)
                || size > remaining)
            {
                error = new FrameError(FrameErrorKind.TruncatedPayload, $"the {type} value runs past the end of the payload", offset);
                return false;
            }

            reader.ReadRaw(size);
            return true;
        }

        // Nil, booleans, integers and floats have fixed sizes; the only failure is running out of bytes.
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

    private const int MaxHeaderBytes = 6;

    /// <summary>The whole size (header and data) of a str, bin or ext value from its header bytes.</summary>
    private static bool TryGetDeclaredSize(ReadOnlySpan<byte> header, out long size)
    {
        size = 0;
        byte code = header[0];
        (int headerBytes, int lengthBytes, int fixedData) = code switch
        {
            >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr => (1, 0, code - MessagePackCode.MinFixStr),
            MessagePackCode.Str8 or MessagePackCode.Bin8 => (2, 1, 0),
            MessagePackCode.Str16 or MessagePackCode.Bin16 => (3, 2, 0),
            MessagePackCode.Str32 or MessagePackCode.Bin32 => (5, 4, 0),
            MessagePackCode.FixExt1 => (2, 0, 1),
            MessagePackCode.FixExt2 => (2, 0, 2),
            MessagePackCode.FixExt4 => (2, 0, 4),
            MessagePackCode.FixExt8 => (2, 0, 8),
            MessagePackCode.FixExt16 => (2, 0, 16),
            MessagePackCode.Ext8 => (3, 1, 0),
            MessagePackCode.Ext16 => (4, 2, 0),
            MessagePackCode.Ext32 => (6, 4, 0),
            _ => (1, 0, 0),
        };

        // ext8/16/32 put the type byte after the length; lengths are big-endian right after the code.
        if (header.Length < headerBytes)
        {
            return false;
        }

        long length = fixedData;
        for (int i = 1; i <= lengthBytes; i++)
        {
            length = (length << 8) | header[i];
        }

        size = headerBytes + length;
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

            return TrySkipScalar(ref reader, type, offset, out error);
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

        // A 32-bit count above int.MaxValue arrives here as a negative int.
        if (count < 0 || count > limits.MaxArrayLength)
        {
            string elements = count < 0 ? ((uint)count).ToString(System.Globalization.CultureInfo.InvariantCulture) : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            error = new FrameError(FrameErrorKind.LengthOverLimit, $"{what} of {elements} elements is over the limit of {limits.MaxArrayLength}", offset);
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
