namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// The encoder produces exactly the bytes docs/protocol.md shows, and the decoder reads them back; the version-1
/// bytes the page keeps ("Version 1 frames, still read") decode too, with the fields version 2 appended at their defaults.
/// </summary>
public class SpecExampleTests
{
    public static TheoryData<string, string, string> Examples => new()
    {
        { "Hello", ExampleFrames.HelloPayload, ExampleFrames.HelloFramed },
        { "Prediction", ExampleFrames.PredictionPayload, ExampleFrames.PredictionFramed },
        { "PredictionWithValues", ExampleFrames.PredictionWithValuesPayload, ExampleFrames.PredictionWithValuesFramed },
        { "PredictionHistorical", ExampleFrames.PredictionHistoricalPayload, ExampleFrames.PredictionHistoricalFramed },
        { "Alarm", ExampleFrames.AlarmPayload, ExampleFrames.AlarmFramed },
        { "Health", ExampleFrames.HealthPayload, ExampleFrames.HealthFramed },
        { "Ack", ExampleFrames.AckPayload, ExampleFrames.AckFramed },
        { "AckRange", ExampleFrames.AckRangePayload, ExampleFrames.AckRangeFramed },
    };

    public static TheoryData<string, string, string> Version1Examples => new()
    {
        { "HelloV1", ExampleFrames.HelloV1Payload, ExampleFrames.HelloV1Framed },
        { "PredictionV1", ExampleFrames.PredictionV1Payload, ExampleFrames.PredictionV1Framed },
        { "AlarmV1", ExampleFrames.AlarmV1Payload, ExampleFrames.AlarmV1Framed },
        { "HealthV1", ExampleFrames.HealthV1Payload, ExampleFrames.HealthV1Framed },
        { "AckV1", ExampleFrames.AckV1Payload, ExampleFrames.AckV1Framed },
    };

    private static object Frame(string name) => name switch
    {
        "Hello" => ExampleFrames.Hello,
        "Prediction" => ExampleFrames.Prediction,
        "PredictionWithValues" => ExampleFrames.PredictionWithValues,
        "PredictionHistorical" => ExampleFrames.PredictionHistorical,
        "Alarm" => ExampleFrames.Alarm,
        "Health" => ExampleFrames.Health,
        "Ack" => ExampleFrames.Ack,
        "AckRange" => ExampleFrames.AckRange,
        "HelloV1" => ExampleFrames.HelloV1,
        "PredictionV1" => ExampleFrames.PredictionV1,
        "AlarmV1" => ExampleFrames.AlarmV1,
        "HealthV1" => ExampleFrames.HealthV1,
        "AckV1" => ExampleFrames.AckV1,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encoder_writes_the_documented_payload_and_framed_bytes(string name, string payloadHex, string framedHex)
    {
        object frame = Frame(name);

        Assert.Equal(payloadHex, ExampleFrames.Hex(FrameGenerators.Payload(frame)));
        Assert.Equal(framedHex, ExampleFrames.Hex(FrameGenerators.Framed(frame)));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    [MemberData(nameof(Version1Examples))]
    public void Documented_bytes_decode_to_the_example_values(string name, string payloadHex, string framedHex)
    {
        FrameAssert.Decoded(Frame(name), PayloadDecoder.Decode(ExampleFrames.Bytes(payloadHex)));

        var decoder = new StreamFrameDecoder();
        Assert.True(decoder.TryDecodeNext(ExampleFrames.Bytes(framedHex), out int consumed, out DecodeResult result));
        Assert.Equal(ExampleFrames.Bytes(framedHex).Length, consumed);
        FrameAssert.Decoded(Frame(name), result);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    [MemberData(nameof(Version1Examples))]
    public void Protocol_document_shows_the_same_bytes(string name, string payloadHex, string framedHex)
    {
        string spec = File.ReadAllText(Repository.Path("docs", "protocol.md"));

        Assert.True(spec.Contains(payloadHex, StringComparison.Ordinal), $"docs/protocol.md lacks the {name} payload hex");
        Assert.True(spec.Contains(framedHex, StringComparison.Ordinal), $"docs/protocol.md lacks the {name} framed hex");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    [MemberData(nameof(Version1Examples))]
    public void Protocol_document_states_each_example_size(string name, string payloadHex, string framedHex)
    {
        // Every example is introduced as "Payload (N bytes):" and "Framed (N bytes…": the sizes must be the examples'.
        string spec = File.ReadAllText(Repository.Path("docs", "protocol.md"));
        int payload = ExampleFrames.Bytes(payloadHex).Length;
        int framed = ExampleFrames.Bytes(framedHex).Length;

        Assert.True(
            spec.Contains($"Payload ({payload} bytes):\n```\n{payloadHex}\n```", StringComparison.Ordinal),
            $"docs/protocol.md does not introduce the {name} payload as {payload} bytes");
        Assert.True(
            spec.Contains($"Framed ({framed} bytes", StringComparison.Ordinal) && spec.Contains($"\n{framedHex}\n```", StringComparison.Ordinal),
            $"docs/protocol.md does not show the {name} framed bytes as {framed} bytes");
    }

    [Fact]
    public void Version_1_examples_re_encode_as_version_2_with_only_appended_bytes()
    {
        // Same values, new encoder: the version-1 bytes are a prefix of the version-2 payload after the array header
        // (Health's grows from fixarray to array16; Hello's version field itself says 2).
        AssertExtends(ExampleFrames.PredictionV1Payload, ExampleFrames.PredictionPayload);
        AssertExtends(ExampleFrames.AlarmV1Payload, ExampleFrames.AlarmPayload);
        AssertExtends(ExampleFrames.AckV1Payload, ExampleFrames.AckPayload);
        AssertExtends(ExampleFrames.HealthV1Payload, ExampleFrames.HealthPayload);

        static void AssertExtends(string v1, string v2)
        {
            byte[] old = ExampleFrames.Bytes(v1);
            byte[] now = ExampleFrames.Bytes(v2);
            int header = now[0] == 0xdc ? 3 : 1;
            Assert.Equal(old[1..], now[header..(header + old.Length - 1)]);
        }
    }

    [Fact]
    public void Historical_example_is_the_live_one_with_its_flags_byte_set()
    {
        byte[] payload = ExampleFrames.Bytes(ExampleFrames.PredictionPayload);

        Assert.True(StoredFrames.TrySetFlags(payload, FrameFlags.Historical));

        Assert.Equal(ExampleFrames.PredictionHistoricalPayload, ExampleFrames.Hex(payload));
    }

    [Fact]
    public void Four_class_prediction_takes_26_bytes_on_a_stream_and_22_in_a_datagram()
    {
        Assert.Equal(26, ExampleFrames.Framed(ExampleFrames.Prediction).Length);
        Assert.Equal(22, ExampleFrames.Payload(ExampleFrames.Prediction).Length);
    }

    [Fact]
    public void Worst_case_four_class_prediction_without_values_still_fits_30_bytes()
    {
        // Largest values every field can take: a 9-byte uint64 sequence, a 5-byte uint32 time, all status bits and
        // flags, bytes that COBS must not expand.
        var worst = new PredictionFrame
        {
            Sequence = ulong.MaxValue,
            TimeMs = uint.MaxValue,
            Status = (PredictionStatus)0x7F,
            Probabilities = new byte[] { 255, 255, 255, 255 },
            AnomalyLevel = Quantization.AnomalyScale,
            Flags = (FrameFlags)0x7F,
        };

        Assert.Equal(30, ExampleFrames.Framed(worst).Length);

        // Below 2³² the sequence takes 5 bytes, as in version 1: 26 bytes.
        Assert.Equal(26, ExampleFrames.Framed(worst with { Sequence = uint.MaxValue }).Length);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(15, 75)]
    [InlineData(16, 82)]
    public void Each_value_adds_five_bytes_and_sixteen_or_more_take_a_longer_array_header(int count, int added)
    {
        var withValues = ExampleFrames.Prediction with { Values = new float[count] };

        Assert.Equal(added, ExampleFrames.Payload(withValues).Length - ExampleFrames.Payload(ExampleFrames.Prediction).Length);
    }
}
