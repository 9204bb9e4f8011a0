using MessagePack;

namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// Newer senders may add frame types and trailing fields; this version skips both. A version-1 decoder reads the
/// version-1 fields of version-2 frames, and this decoder reads version-1 frames, defaulting what they lack.
/// </summary>
public class ForwardCompatibilityTests
{
    [Fact]
    public void Unknown_frame_type_is_reported_as_skipped_not_as_an_error()
    {
        // [42, "anything", {"k": [1, 2]}]
        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Bytes("93 2a a8 61 6e 79 74 68 69 6e 67 81 a1 6b 92 01 02"));

        Assert.Equal(DecodeStatus.UnknownFrameType, result.Status);
        Assert.Equal(42, result.TypeTag);
        Assert.Contains("unknown type tag 42", result.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("91 00")]
    [InlineData("91 ff")]
    [InlineData("91 cd 01 00")]
    [InlineData("91 cf ff ff ff ff ff ff ff ff")]
    public void Tags_outside_the_known_range_are_unknown_types(string hex) =>
        Assert.Equal(DecodeStatus.UnknownFrameType, PayloadDecoder.Decode(ExampleFrames.Bytes(hex)).Status);

    [Fact]
    public void Extra_trailing_fields_of_any_type_are_skipped()
    {
        // The example Prediction with its array count raised from 8 to 11 and three trailing fields appended:
        // a map {"v": [1, 2.5]}, a bin of 2 bytes and nil.
        string payload = "9b" + ExampleFrames.PredictionHistoricalPayload[2..] + " 81 a1 76 92 01 cb 40 04 00 00 00 00 00 00 c4 02 aa bb c0";

        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Bytes(payload));

        FrameAssert.Decoded(ExampleFrames.PredictionHistorical, result);
    }

    [Fact]
    public void A_version_1_decoder_reads_the_version_1_fields_of_every_version_2_frame()
    {
        // A version-1 reader: version 1's field tables and reads, which require that many fields and skip the rest.
        FrameAssert.Decoded(ExampleFrames.HelloV1 with { ProtocolVersion = 2 }, ReadAsVersion1(ExampleFrames.HelloPayload));
        FrameAssert.Decoded(ExampleFrames.PredictionV1, ReadAsVersion1(ExampleFrames.PredictionPayload));
        FrameAssert.Decoded(ExampleFrames.PredictionV1, ReadAsVersion1(ExampleFrames.PredictionHistoricalPayload));
        FrameAssert.Decoded(ExampleFrames.AlarmV1, ReadAsVersion1(ExampleFrames.AlarmPayload));
        FrameAssert.Decoded(ExampleFrames.HealthV1, ReadAsVersion1(ExampleFrames.HealthPayload));
        FrameAssert.Decoded(ExampleFrames.AckV1, ReadAsVersion1(ExampleFrames.AckPayload));
    }

    [Fact]
    public void A_version_1_decoder_rejects_sequences_beyond_32_bits_by_name()
    {
        // The one change of meaning that made this version 2: a version-1 decoder reads sequences as uint32.
        DecodeResult result = ReadAsVersion1(ExampleFrames.PredictionWithValuesPayload);

        FrameError error = FrameAssert.Malformed(result, FrameErrorKind.ValueOutOfRange);
        Assert.Equal("sequence", error.FieldName);
        Assert.Contains("4294967313 is outside 0…4294967295", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_appended_by_version_2_default_when_a_sender_stops_early()
    {
        // Version 2 Prediction without its flags (7 elements): values read, flags None.
        string withoutFlags = "97" + ExampleFrames.PredictionWithValuesPayload[2..^3];
        FrameAssert.Decoded(ExampleFrames.PredictionWithValues, PayloadDecoder.Decode(ExampleFrames.Bytes(withoutFlags)));

        // Health with only journalBacklog of the four (14 elements): the others 0 and None.
        var health = PayloadDecoder.Decode(ExampleFrames.Bytes("9e" + ExampleFrames.HealthV1Payload[2..] + " cd 04 e2"));
        FrameAssert.Decoded(ExampleFrames.HealthV1 with { JournalBacklog = 1250 }, health);

        // Hello with its session but no sequence.
        var hello = PayloadDecoder.Decode(ExampleFrames.Bytes("9a" + ExampleFrames.HelloV1Payload[2..] + " 07"));
        FrameAssert.Decoded(ExampleFrames.HelloV1 with { SessionId = 7 }, hello);
    }

    [Fact]
    public void Version_1_frames_decode_with_the_version_2_defaults()
    {
        DecodeResult prediction = PayloadDecoder.Decode(ExampleFrames.Bytes(ExampleFrames.PredictionV1Payload));
        Assert.Equal(FrameFlags.None, prediction.Prediction.Flags);
        Assert.True(prediction.Prediction.Values.IsEmpty);

        Assert.Equal(0UL, PayloadDecoder.Decode(ExampleFrames.Bytes(ExampleFrames.AckV1Payload)).Ack.SessionId);
        HelloFrame hello = PayloadDecoder.Decode(ExampleFrames.Bytes(ExampleFrames.HelloV1Payload)).Hello;
        Assert.Equal((1, 0UL, 0UL), (hello.ProtocolVersion, hello.SessionId, hello.Sequence));
        HealthFrame health = PayloadDecoder.Decode(ExampleFrames.Bytes(ExampleFrames.HealthV1Payload)).Health;
        Assert.Equal((0u, 0UL, 0u, FrameFlags.None), (health.JournalBacklog, health.JournalEvictions, health.JournalDamaged, health.Flags));
    }

    [Fact]
    public void Integers_in_wider_or_signed_encodings_are_accepted()
    {
        // Ack highestSequence 7 written as int64 rather than a fixint, as some encoders do.
        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Bytes("92 05 d3 00 00 00 00 00 00 00 07"));

        Assert.Equal(7UL, result.Ack.HighestSequence);
    }

    [Fact]
    public void Float64_sample_rate_and_nil_temperature_are_accepted()
    {
        var health = ExampleFrames.Health with { CpuTemperatureMilliCelsius = null };
        FrameAssert.Decoded(health, PayloadDecoder.Decode(ExampleFrames.Payload(health)));

        // Alarm score as float64 0.5 (cb 3f e0 00 …).
        DecodeResult alarm = PayloadDecoder.Decode(ExampleFrames.Bytes("97 03 01 02 c3 03 cb 3f e0 00 00 00 00 00 00 04"));
        Assert.Equal(0.5f, alarm.Alarm.Score);
    }

    /// <summary>Decodes a payload as protocol version 1 did: its field tables, uint32 sequences, nothing after.</summary>
    private static DecodeResult ReadAsVersion1(string payloadHex)
    {
        byte[] payload = ExampleFrames.Bytes(payloadHex);
        Assert.True(MessagePackStructure.TryValidate(payload, DecoderLimits.Default, out _));
        var reader = new MessagePackReader(payload);
        int present = reader.ReadArrayHeader() - 1;
        var type = (FrameType)reader.ReadByte();
        FrameFields fields = type switch
        {
            FrameType.Hello => new(type, ["protocolVersion", "deviceId", "firmwareVersion", "modelId", "channelNames", "outputLabels", "sampleRateHz", "epochUnixMs"], []),
            FrameType.Prediction => new(type, ["sequence", "timeMs", "status", "probabilities", "anomalyLevel"], []),
            FrameType.Alarm => new(type, ["sequence", "timeMs", "raised", "classIndex", "score", "durationMs"], []),
            FrameType.Health => new(type, ["sequence", "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors", "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops", "cpuTemperatureMilliCelsius"], []),
            _ => new(type, ["highestSequence"], []),
        };
        Assert.True(present >= fields.RequiredCount, "a version-2 frame has at least version 1's fields");

        var f = new FieldReader(reader, fields, DecoderLimits.Default, present);
        switch (type)
        {
            case FrameType.Hello:
                if (f.TryReadUInt16(out ushort version) && f.TryReadString(out string device) && f.TryReadString(out string firmware)
                    && f.TryReadString(out string model) && f.TryReadStringArray(out string[] channels) && f.TryReadStringArray(out string[] labels)
                    && f.TryReadSingle(out float rate) && f.TryReadUInt64(out ulong epoch))
                {
                    return DecodeResult.FromFrame(new HelloFrame
                    {
                        ProtocolVersion = version, DeviceId = device, FirmwareVersion = firmware, ModelId = model,
                        ChannelNames = channels, OutputLabels = labels, SampleRateHz = rate, EpochUnixMs = epoch,
                    });
                }

                break;
            case FrameType.Prediction:
                if (f.TryReadUInt32(out uint sequence) && f.TryReadUInt32(out uint time) && f.TryReadByte(127, out byte status)
                    && f.TryReadBinary(out byte[] probabilities) && f.TryReadByte(127, out byte anomaly))
                {
                    return DecodeResult.FromFrame(new PredictionFrame
                    {
                        Sequence = sequence, TimeMs = time, Status = (PredictionStatus)status, Probabilities = probabilities, AnomalyLevel = anomaly,
                    });
                }

                break;
            case FrameType.Alarm:
                if (f.TryReadUInt32(out uint alarmSequence) && f.TryReadUInt32(out uint alarmTime) && f.TryReadBoolean(out bool raised)
                    && f.TryReadInt32(out int classIndex) && f.TryReadSingle(out float score) && f.TryReadUInt32(out uint duration))
                {
                    return DecodeResult.FromFrame(new AlarmFrame
                    {
                        Sequence = alarmSequence, TimeMs = alarmTime, Raised = raised, ClassIndex = classIndex, Score = score, DurationMs = duration,
                    });
                }

                break;
            case FrameType.Health:
                if (f.TryReadUInt32(out uint healthSequence) && f.TryReadUInt32(out uint healthTime) && f.TryReadUInt32(out uint uptime)
                    && f.TryReadUInt64(out ulong samples) && f.TryReadUInt32(out uint overruns) && f.TryReadUInt32Array(out uint[] errors)
                    && f.TryReadUInt32(out uint p50) && f.TryReadUInt32(out uint p99) && f.TryReadUInt32(out uint max)
                    && f.TryReadUInt32(out uint depth) && f.TryReadUInt32(out uint drops) && f.TryReadNullableInt32(out int? temperature))
                {
                    return DecodeResult.FromFrame(new HealthFrame
                    {
                        Sequence = healthSequence, TimeMs = healthTime, UptimeSeconds = uptime, SamplesRead = samples, Overruns = overruns,
                        ChannelReadErrors = errors, InferenceP50Us = p50, InferenceP99Us = p99, InferenceMaxUs = max, SendQueueDepth = depth,
                        SendQueueDrops = drops, CpuTemperatureMilliCelsius = temperature,
                    });
                }

                break;
            default:
                if (f.TryReadUInt32(out uint highest))
                {
                    return DecodeResult.FromFrame(new AckFrame { HighestSequence = highest });
                }

                break;
        }

        return DecodeResult.FromError(f.Error);
    }
}
