namespace EdgeLstm.Protocol.Tests;

/// <summary>The encoder produces exactly the bytes docs/protocol.md shows, and the decoder reads them back.</summary>
public class SpecExampleTests
{
    public static TheoryData<string, string, string> Examples => new()
    {
        { "Hello", ExampleFrames.HelloPayload, ExampleFrames.HelloFramed },
        { "Prediction", ExampleFrames.PredictionPayload, ExampleFrames.PredictionFramed },
        { "Alarm", ExampleFrames.AlarmPayload, ExampleFrames.AlarmFramed },
        { "Health", ExampleFrames.HealthPayload, ExampleFrames.HealthFramed },
        { "Ack", ExampleFrames.AckPayload, ExampleFrames.AckFramed },
    };

    private static object Frame(string name) => name switch
    {
        "Hello" => ExampleFrames.Hello,
        "Prediction" => ExampleFrames.Prediction,
        "Alarm" => ExampleFrames.Alarm,
        "Health" => ExampleFrames.Health,
        "Ack" => ExampleFrames.Ack,
        _ => throw new ArgumentException(name),
    };

    private static (byte[] Payload, byte[] Framed) Encode(string name) => Frame(name) switch
    {
        HelloFrame f => (ExampleFrames.Payload(f), ExampleFrames.Framed(f)),
        PredictionFrame f => (ExampleFrames.Payload(f), ExampleFrames.Framed(f)),
        AlarmFrame f => (ExampleFrames.Payload(f), ExampleFrames.Framed(f)),
        HealthFrame f => (ExampleFrames.Payload(f), ExampleFrames.Framed(f)),
        AckFrame f => (ExampleFrames.Payload(f), ExampleFrames.Framed(f)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encoder_writes_the_documented_payload_and_framed_bytes(string name, string payloadHex, string framedHex)
    {
        (byte[] payload, byte[] framed) = Encode(name);

        Assert.Equal(payloadHex, ExampleFrames.Hex(payload));
        Assert.Equal(framedHex, ExampleFrames.Hex(framed));
    }

    [Theory]
    [MemberData(nameof(Examples))]
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
    public void Protocol_document_shows_the_same_bytes(string name, string payloadHex, string framedHex)
    {
        string spec = File.ReadAllText(Repository.Path("docs", "protocol.md"));

        Assert.True(spec.Contains(payloadHex, StringComparison.Ordinal), $"docs/protocol.md lacks the {name} payload hex");
        Assert.True(spec.Contains(framedHex, StringComparison.Ordinal), $"docs/protocol.md lacks the {name} framed hex");
    }

    [Fact]
    public void Four_class_prediction_takes_24_bytes_on_a_stream_and_20_in_a_datagram()
    {
        Assert.Equal(24, ExampleFrames.Framed(ExampleFrames.Prediction).Length);
        Assert.Equal(20, ExampleFrames.Payload(ExampleFrames.Prediction).Length);
    }

    [Fact]
    public void Worst_case_four_class_prediction_still_fits_24_bytes()
    {
        // Largest values every field can take: 5-byte uint32s, all flags, bytes that COBS must not expand.
        var worst = new PredictionFrame
        {
            Sequence = uint.MaxValue,
            TimeMs = uint.MaxValue,
            Status = (PredictionStatus)0x7F,
            Probabilities = new byte[] { 255, 255, 255, 255 },
            AnomalyLevel = Quantization.AnomalyScale,
        };

        Assert.Equal(24, ExampleFrames.Framed(worst).Length);
    }
}
