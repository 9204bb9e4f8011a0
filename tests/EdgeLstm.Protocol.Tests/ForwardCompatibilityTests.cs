namespace EdgeLstm.Protocol.Tests;

/// <summary>Newer senders may add frame types and trailing fields; this version skips both.</summary>
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
        // The example Prediction with its array count raised from 6 to 9 and three trailing fields appended:
        // a map {"v": [1, 2.5]}, a bin of 2 bytes and nil.
        string payload = "99" + ExampleFrames.PredictionPayload[2..] + " 81 a1 76 92 01 cb 40 04 00 00 00 00 00 00 c4 02 aa bb c0";

        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Bytes(payload));

        FrameAssert.Decoded(ExampleFrames.Prediction, result);
    }

    [Fact]
    public void Integers_in_wider_or_signed_encodings_are_accepted()
    {
        // Ack highestSequence 7 written as int64 rather than a fixint, as some encoders do.
        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Bytes("92 05 d3 00 00 00 00 00 00 00 07"));

        Assert.Equal(7u, result.Ack.HighestSequence);
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
}
