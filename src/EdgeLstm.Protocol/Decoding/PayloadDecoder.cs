using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Decodes one frame's bare MessagePack payload (a stream frame after COBS and CRC, or a whole UDP datagram).
/// Input is untrusted: every problem becomes a <see cref="DecodeResult"/> with a <see cref="FrameError"/>, never an exception.
/// </summary>
public static class PayloadDecoder
{
    /// <summary>Decodes <paramref name="payload"/> with <see cref="DecoderLimits.Default"/>.</summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <returns>The frame, an unknown-type notice or an error.</returns>
    public static DecodeResult Decode(ReadOnlyMemory<byte> payload) => Decode(payload, DecoderLimits.Default);

    /// <summary>
    /// Decodes <paramref name="payload"/>; fields after the ones this version knows are skipped, and fields that a
    /// version-1 sender did not write yet take their defaults.
    /// </summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <param name="limits">Caps on sizes and nesting.</param>
    /// <returns>The frame, an unknown-type notice or an error.</returns>
    public static DecodeResult Decode(ReadOnlyMemory<byte> payload, DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return Fail(new FrameError(FrameErrorKind.FrameTooLong, $"payload of {payload.Length} bytes is over the limit of {limits.MaxPayloadBytes}"));
        }

        if (!MessagePackStructure.TryValidate(payload, limits, out FrameError structureError))
        {
            return Fail(structureError);
        }

        try
        {
            return DecodeValidated(payload, limits);
        }
        catch (Exception exception) when (exception is MessagePackSerializationException or EndOfStreamException
            or OverflowException or ArgumentOutOfRangeException)
        {
            // Backstop only: the structure walk and per-field type checks should make this unreachable, but an
            // exception must never end a caller's read loop.
            return Fail(new FrameError(FrameErrorKind.InvalidMessagePack, "undecodable payload: " + exception.Message));
        }
    }

    private static DecodeResult DecodeValidated(ReadOnlyMemory<byte> payload, DecoderLimits limits)
    {
        var reader = new MessagePackReader(payload);
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            return Fail(new FrameError(FrameErrorKind.NotAnArray, $"expected the frame's Array, found {reader.NextMessagePackType}", 0));
        }

        int count = reader.ReadArrayHeader();
        int tagOffset = (int)reader.Consumed;
        if (count == 0 || reader.NextMessagePackType != MessagePackType.Integer)
        {
            string found = count == 0 ? "an empty array" : reader.NextMessagePackType.ToString();
            return Fail(new FrameError(FrameErrorKind.InvalidTypeTag, $"element 0 must be an Integer type tag, found {found}", tagOffset));
        }

        // A tag outside 0…int.MaxValue cannot be a known type; report it as unknown rather than failing.
        long tag = FieldReader.IsSignedFormat(reader.NextCode)
            ? reader.ReadInt64()
            : (long)Math.Min(reader.ReadUInt64(), int.MaxValue);
        int typeTag = (int)Math.Clamp(tag, -1, int.MaxValue);
        int fields = count - 1;

        // The one place that maps a tag to its formatter; the formatters hold everything else about each frame.
        return (FrameType)typeTag switch
        {
            _ when typeTag is < 1 or > byte.MaxValue => DecodeResult.FromUnknownType(typeTag),
            FrameType.Hello => TryRead<HelloFrameFormatter, HelloFrame>(reader, fields, limits, out HelloFrame hello, out FrameError error)
                ? DecodeResult.FromFrame(hello) : DecodeResult.FromError(error),
            FrameType.Prediction => TryRead<PredictionFrameFormatter, PredictionFrame>(reader, fields, limits, out PredictionFrame prediction, out FrameError error)
                ? DecodeResult.FromFrame(prediction) : DecodeResult.FromError(error),
            FrameType.Alarm => TryRead<AlarmFrameFormatter, AlarmFrame>(reader, fields, limits, out AlarmFrame alarm, out FrameError error)
                ? DecodeResult.FromFrame(alarm) : DecodeResult.FromError(error),
            FrameType.Health => TryRead<HealthFrameFormatter, HealthFrame>(reader, fields, limits, out HealthFrame health, out FrameError error)
                ? DecodeResult.FromFrame(health) : DecodeResult.FromError(error),
            FrameType.Ack => TryRead<AckFrameFormatter, AckFrame>(reader, fields, limits, out AckFrame ack, out FrameError error)
                ? DecodeResult.FromFrame(ack) : DecodeResult.FromError(error),
            FrameType.Event => TryRead<EventFrameFormatter, EventFrame>(reader, fields, limits, out EventFrame boardEvent, out FrameError error)
                ? DecodeResult.FromFrame(boardEvent) : DecodeResult.FromError(error),
            _ => DecodeResult.FromUnknownType(typeTag),
        };
    }

    /// <summary>Checks that the required fields are there and reads the fields after the tag with <typeparamref name="TFormatter"/>.</summary>
    private static bool TryRead<TFormatter, TFrame>(MessagePackReader reader, int present, DecoderLimits limits, out TFrame frame, out FrameError error)
        where TFormatter : IFrameFormatter<TFrame>
        where TFrame : struct, IWireFrame
    {
        FrameFields fields = TFormatter.Fields;
        if (present < fields.RequiredCount)
        {
            frame = default;
            error = new FrameError(FrameErrorKind.TooFewFields, $"{present} fields after the tag, {fields.Type} needs {fields.RequiredCount}", 0, (int)fields.Type);
            return false;
        }

        var fieldReader = new FieldReader(reader, fields, limits, present);
        bool ok = TFormatter.TryRead(ref fieldReader, out frame);
        error = fieldReader.Error;
        return ok;
    }

    private static DecodeResult Fail(FrameError error) => DecodeResult.FromError(error);
}
