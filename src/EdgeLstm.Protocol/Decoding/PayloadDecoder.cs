using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Decodes one frame's bare MessagePack payload (a stream frame after COBS and CRC, or a whole UDP datagram).
/// Input is untrusted: every problem becomes a <see cref="DecodeResult"/> with a <see cref="FrameError"/>, never an exception.
/// </summary>
public static class PayloadDecoder
{
    // Index 0 is the type tag; the rest follow each frame's wire order (used in error messages).
    private static readonly string[] _helloFields =
        ["type", "protocolVersion", "deviceId", "firmwareVersion", "modelId", "channelNames", "outputLabels", "sampleRateHz", "epochUnixMs"];

    private static readonly string[] _predictionFields =
        ["type", "sequence", "timeMs", "status", "probabilities", "anomalyLevel"];

    private static readonly string[] _alarmFields =
        ["type", "sequence", "timeMs", "raised", "classIndex", "score", "durationMs"];

    private static readonly string[] _healthFields =
    [
        "type", "sequence", "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors",
        "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops", "cpuTemperatureMilliCelsius",
    ];

    private static readonly string[] _ackFields = ["type", "highestSequence"];

    /// <summary>Decodes <paramref name="payload"/> with <see cref="DecoderLimits.Default"/>.</summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <returns>The frame, an unknown-type notice or an error.</returns>
    public static DecodeResult Decode(ReadOnlyMemory<byte> payload) => Decode(payload, DecoderLimits.Default);

    /// <summary>Decodes <paramref name="payload"/>; fields after the ones this version knows are skipped.</summary>
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
        byte code = reader.NextCode;
        long tag = code >= MessagePackCode.MinNegativeFixInt || (code >= MessagePackCode.Int8 && code <= MessagePackCode.Int64)
            ? reader.ReadInt64()
            : (long)Math.Min(reader.ReadUInt64(), int.MaxValue);
        int typeTag = (int)Math.Clamp(tag, -1, int.MaxValue);
        int fields = count - 1;
        return (FrameType)typeTag switch
        {
            _ when typeTag is < 1 or > byte.MaxValue => DecodeResult.FromUnknownType(typeTag),
            FrameType.Hello => ReadHello(reader, fields, limits),
            FrameType.Prediction => ReadPrediction(reader, fields, limits),
            FrameType.Alarm => ReadAlarm(reader, fields, limits),
            FrameType.Health => ReadHealth(reader, fields, limits),
            FrameType.Ack => ReadAck(reader, fields, limits),
            _ => DecodeResult.FromUnknownType(typeTag),
        };
    }

    private static DecodeResult ReadHello(MessagePackReader reader, int fields, DecoderLimits limits)
    {
        if (!HasFields(FrameType.Hello, fields, HelloFrame.FieldCount, out DecodeResult tooFew))
        {
            return tooFew;
        }

        var field = new FieldReader(reader, FrameType.Hello, _helloFields, limits);
        if (field.TryReadUInt16(out ushort version)
            && field.TryReadString(out string deviceId)
            && field.TryReadString(out string firmwareVersion)
            && field.TryReadString(out string modelId)
            && field.TryReadStringArray(out string[] channelNames)
            && field.TryReadStringArray(out string[] outputLabels)
            && field.TryReadSingle(out float sampleRateHz)
            && field.TryReadUInt64(out ulong epochUnixMs))
        {
            return DecodeResult.FromFrame(new HelloFrame
            {
                ProtocolVersion = version,
                DeviceId = deviceId,
                FirmwareVersion = firmwareVersion,
                ModelId = modelId,
                ChannelNames = channelNames,
                OutputLabels = outputLabels,
                SampleRateHz = sampleRateHz,
                EpochUnixMs = epochUnixMs,
            });
        }

        return Fail(field.Error);
    }

    private static DecodeResult ReadPrediction(MessagePackReader reader, int fields, DecoderLimits limits)
    {
        if (!HasFields(FrameType.Prediction, fields, PredictionFrame.FieldCount, out DecodeResult tooFew))
        {
            return tooFew;
        }

        var field = new FieldReader(reader, FrameType.Prediction, _predictionFields, limits);
        if (field.TryReadUInt32(out uint sequence)
            && field.TryReadUInt32(out uint timeMs)
            && field.TryReadByte(PredictionFrame.MaxStatus, out byte status)
            && field.TryReadBinary(out byte[] probabilities)
            && field.TryReadByte(Quantization.AnomalyScale, out byte anomalyLevel))
        {
            return DecodeResult.FromFrame(new PredictionFrame
            {
                Sequence = sequence,
                TimeMs = timeMs,
                Status = (PredictionStatus)status,
                Probabilities = probabilities,
                AnomalyLevel = anomalyLevel,
            });
        }

        return Fail(field.Error);
    }

    private static DecodeResult ReadAlarm(MessagePackReader reader, int fields, DecoderLimits limits)
    {
        if (!HasFields(FrameType.Alarm, fields, AlarmFrame.FieldCount, out DecodeResult tooFew))
        {
            return tooFew;
        }

        var field = new FieldReader(reader, FrameType.Alarm, _alarmFields, limits);
        if (field.TryReadUInt32(out uint sequence)
            && field.TryReadUInt32(out uint timeMs)
            && field.TryReadBoolean(out bool raised)
            && field.TryReadInt32(out int classIndex)
            && field.TryReadSingle(out float score)
            && field.TryReadUInt32(out uint durationMs))
        {
            return DecodeResult.FromFrame(new AlarmFrame
            {
                Sequence = sequence,
                TimeMs = timeMs,
                Raised = raised,
                ClassIndex = classIndex,
                Score = score,
                DurationMs = durationMs,
            });
        }

        return Fail(field.Error);
    }

    private static DecodeResult ReadHealth(MessagePackReader reader, int fields, DecoderLimits limits)
    {
        if (!HasFields(FrameType.Health, fields, HealthFrame.FieldCount, out DecodeResult tooFew))
        {
            return tooFew;
        }

        var field = new FieldReader(reader, FrameType.Health, _healthFields, limits);
        if (field.TryReadUInt32(out uint sequence)
            && field.TryReadUInt32(out uint timeMs)
            && field.TryReadUInt32(out uint uptimeSeconds)
            && field.TryReadUInt64(out ulong samplesRead)
            && field.TryReadUInt32(out uint overruns)
            && field.TryReadUInt32Array(out uint[] channelReadErrors)
            && field.TryReadUInt32(out uint p50)
            && field.TryReadUInt32(out uint p99)
            && field.TryReadUInt32(out uint max)
            && field.TryReadUInt32(out uint queueDepth)
            && field.TryReadUInt32(out uint queueDrops)
            && field.TryReadNullableInt32(out int? temperature))
        {
            return DecodeResult.FromFrame(new HealthFrame
            {
                Sequence = sequence,
                TimeMs = timeMs,
                UptimeSeconds = uptimeSeconds,
                SamplesRead = samplesRead,
                Overruns = overruns,
                ChannelReadErrors = channelReadErrors,
                InferenceP50Us = p50,
                InferenceP99Us = p99,
                InferenceMaxUs = max,
                SendQueueDepth = queueDepth,
                SendQueueDrops = queueDrops,
                CpuTemperatureMilliCelsius = temperature,
            });
        }

        return Fail(field.Error);
    }

    private static DecodeResult ReadAck(MessagePackReader reader, int fields, DecoderLimits limits)
    {
        if (!HasFields(FrameType.Ack, fields, AckFrame.FieldCount, out DecodeResult tooFew))
        {
            return tooFew;
        }

        var field = new FieldReader(reader, FrameType.Ack, _ackFields, limits);
        return field.TryReadUInt32(out uint highest)
            ? DecodeResult.FromAck(new AckFrame { HighestSequence = highest })
            : Fail(field.Error);
    }

    private static bool HasFields(FrameType type, int present, int required, out DecodeResult tooFew)
    {
        tooFew = present >= required
            ? default
            : Fail(new FrameError(FrameErrorKind.TooFewFields, $"{present} fields after the tag, {type} needs {required}", 0, (int)type));
        return present >= required;
    }

    private static DecodeResult Fail(FrameError error) => DecodeResult.FromError(error);
}
