using System.Buffers;
using CsCheck;

namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// Payloads kept as bytes (a journal's records): read their type and sequence, mark them historical in place, and
/// frame them again without decoding. Malformed or unsuitable payloads give false and stay as they were.
/// </summary>
public class StoredFramesTests
{
    private const int Iterations = 300;

    public static TheoryData<string> PayloadsWithFlags => new()
    {
        ExampleFrames.PredictionPayload,
        ExampleFrames.PredictionWithValuesPayload,
        ExampleFrames.AlarmPayload,
        ExampleFrames.HealthPayload,
    };

    // What the payload is, its bytes, and whether it still has a header (type and sequence) to read.
    public static TheoryData<string, string, bool> PayloadsWithoutFlags => new()
    {
        { "Hello", ExampleFrames.HelloPayload, true },
        { "Ack", ExampleFrames.AckPayload, false },
        { "version-1 Hello", ExampleFrames.HelloV1Payload, false },
        { "version-1 Prediction", ExampleFrames.PredictionV1Payload, true },
        { "version-1 Alarm", ExampleFrames.AlarmV1Payload, true },
        { "version-1 Health", ExampleFrames.HealthV1Payload, true },
        { "version-1 Ack", ExampleFrames.AckV1Payload, false },
        { "unknown type 42", "98 2a 01 02 03 04 05 06 00", false },
        { "negative type tag", "98 ff 01 02 03 04 05 06 00", false },
        { "flags as uint8, not a fixint", "98 03 01 02 c3 03 ca 3f 00 00 00 04 cc 00", true },
        { "flags negative", "98 03 01 02 c3 03 ca 3f 00 00 00 04 ff", true },
        { "flags a string", "98 03 01 02 c3 03 ca 3f 00 00 00 04 a1 00", true },
        { "empty", "", false },
        { "not an array", "a3 61 62 63", false },
        { "empty array", "90", false },
        { "tag a string", "92 a1 02 01", false },
        { "truncated", ExampleFrames.PredictionPayload[..^3], false },
        { "trailing bytes", ExampleFrames.PredictionPayload + " 00", false },
        { "array claiming more than follows", "98 02 01", false },
        { "bin claiming four gigabytes", "98 02 01 01 00 c6 ff ff ff ff 0f 90 00", false },
        { "reserved byte", "98 02 01 01 00 c1 0f 90 00", false },
        { "nested too deep", "98 02 01 01 00 " + string.Concat(Enumerable.Repeat("91 ", 9)) + "90 0f 90 00", false },
    };

    [Theory]
    [MemberData(nameof(PayloadsWithFlags))]
    public void Setting_flags_in_place_gives_the_bytes_of_the_frame_with_those_flags(string payloadHex)
    {
        byte[] payload = ExampleFrames.Bytes(payloadHex);
        DecodeResult live = PayloadDecoder.Decode(payload);

        Assert.True(StoredFrames.TrySetFlags(payload, FrameFlags.Historical));

        object historical = live.FrameType switch
        {
            FrameType.Prediction => live.Prediction with { Flags = FrameFlags.Historical },
            FrameType.Alarm => live.Alarm with { Flags = FrameFlags.Historical },
            _ => live.Health with { Flags = FrameFlags.Historical },
        };
        Assert.Equal(ExampleFrames.Hex(FrameGenerators.Payload(historical)), ExampleFrames.Hex(payload));
        FrameAssert.Decoded(historical, PayloadDecoder.Decode(payload));
    }

    [Fact]
    public void Flags_are_ORed_in_and_bits_already_set_are_kept()
    {
        byte[] payload = ExampleFrames.Payload(ExampleFrames.Alarm with { Flags = (FrameFlags)0x40 });

        Assert.True(StoredFrames.TrySetFlags(payload, FrameFlags.Historical));
        Assert.True(StoredFrames.TrySetFlags(payload, FrameFlags.Historical));
        Assert.True(StoredFrames.TrySetFlags(payload, FrameFlags.None));

        Assert.Equal((FrameFlags)0x41, PayloadDecoder.Decode(payload).Alarm.Flags);
    }

    [Theory]
    [MemberData(nameof(PayloadsWithoutFlags))]
    public void Payloads_without_a_settable_flags_field_are_left_unchanged(string what, string payloadHex, bool hasHeader)
    {
        byte[] payload = ExampleFrames.Bytes(payloadHex);
        byte[] before = (byte[])payload.Clone();

        Assert.False(StoredFrames.TrySetFlags(payload, FrameFlags.Historical), what);

        Assert.Equal(before, payload);
        Assert.Equal(hasHeader, StoredFrames.TryReadHeader(payload, out _, out _));
    }

    [Fact]
    public void Bit_7_cannot_be_set_because_the_field_would_stop_being_a_fixint()
    {
        byte[] payload = ExampleFrames.Bytes(ExampleFrames.PredictionPayload);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StoredFrames.TrySetFlags(payload, (FrameFlags)0x80));

        Assert.Equal("flags", error.ParamName);
        Assert.Equal(ExampleFrames.PredictionPayload, ExampleFrames.Hex(payload));
    }

    [Theory]
    [InlineData(ExampleFrames.HelloPayload, FrameType.Hello, 120_000UL)]
    [InlineData(ExampleFrames.PredictionPayload, FrameType.Prediction, 123_456UL)]
    [InlineData(ExampleFrames.PredictionWithValuesPayload, FrameType.Prediction, 4_294_967_313UL)]
    [InlineData(ExampleFrames.PredictionHistoricalPayload, FrameType.Prediction, 123_456UL)]
    [InlineData(ExampleFrames.AlarmPayload, FrameType.Alarm, 123_457UL)]
    [InlineData(ExampleFrames.HealthPayload, FrameType.Health, 123_500UL)]
    [InlineData(ExampleFrames.PredictionV1Payload, FrameType.Prediction, 123_456UL)]
    [InlineData(ExampleFrames.HealthV1Payload, FrameType.Health, 123_500UL)]
    [InlineData("98 02 d3 00 00 00 00 00 00 00 05 01 00 c4 00 00 90 00", FrameType.Prediction, 5UL)]
    public void Header_of_a_stored_payload_is_its_type_and_sequence(string payloadHex, FrameType type, ulong sequence)
    {
        Assert.True(StoredFrames.TryReadHeader(ExampleFrames.Bytes(payloadHex), out FrameType readType, out ulong readSequence));

        Assert.Equal((type, sequence), (readType, readSequence));
    }

    [Theory]
    [MemberData(nameof(PayloadsWithoutFlags))]
    public void Header_is_refused_for_acks_version_1_hellos_and_malformed_payloads(string what, string payloadHex, bool hasHeader)
    {
        bool found = StoredFrames.TryReadHeader(ExampleFrames.Bytes(payloadHex), out FrameType type, out ulong sequence);

        Assert.True(hasHeader == found, what);
        if (!found)
        {
            Assert.Equal((default(FrameType), 0UL), (type, sequence));
        }
    }

    [Theory]
    [InlineData("98 02 ff 01 00 c4 00 00 90 00")]
    [InlineData("98 02 a1 31 01 00 c4 00 00 90 00")]
    [InlineData("98 02 ca 3f 80 00 00 01 00 c4 00 00 90 00")]
    public void Header_is_refused_when_the_sequence_is_not_an_unsigned_integer(string payloadHex) =>
        Assert.False(StoredFrames.TryReadHeader(ExampleFrames.Bytes(payloadHex), out _, out _));

    [Theory]
    [MemberData(nameof(SpecExampleTests.Examples), MemberType = typeof(SpecExampleTests))]
    [MemberData(nameof(SpecExampleTests.Version1Examples), MemberType = typeof(SpecExampleTests))]
    public void Framing_a_stored_payload_gives_the_bytes_of_framing_the_frame(string name, string payloadHex, string framedHex)
    {
        var output = new ArrayBufferWriter<byte>();

        int written = new StreamFrameEncoder().WritePayload(ExampleFrames.Bytes(payloadHex), output);

        Assert.Equal(framedHex, ExampleFrames.Hex(output.WrittenSpan));
        Assert.True(written == output.WrittenCount, name);
    }

    [Fact]
    public void Framing_appends_and_refuses_stored_payloads_over_the_limit()
    {
        var encoder = new StreamFrameEncoder(maxPayloadBytes: 50);
        var output = new ArrayBufferWriter<byte>();
        encoder.WritePayload(ExampleFrames.Bytes(ExampleFrames.AckPayload), output);
        encoder.WritePayload(ExampleFrames.Bytes(ExampleFrames.AlarmPayload), output);

        var error = Assert.Throws<InvalidOperationException>(() => encoder.WritePayload(ExampleFrames.Bytes(ExampleFrames.HelloPayload), output));

        Assert.Contains("stored frame payload is 116 bytes; the limit is 50", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExampleFrames.AckFramed + " " + ExampleFrames.AlarmFramed, ExampleFrames.Hex(output.WrittenSpan));
    }

    [Fact]
    public void Random_frames_marked_historical_in_place_decode_as_historical_and_frame_as_if_encoded_so() =>
        FrameGenerators.Any.Sample(
            frame =>
            {
                byte[] payload = FrameGenerators.Payload(frame);
                bool hasFlags = frame is PredictionFrame or AlarmFrame or HealthFrame;

                Assert.Equal(hasFlags, StoredFrames.TrySetFlags(payload, FrameFlags.Historical));

                object expected = frame switch
                {
                    PredictionFrame f => f with { Flags = f.Flags | FrameFlags.Historical },
                    AlarmFrame f => f with { Flags = f.Flags | FrameFlags.Historical },
                    HealthFrame f => f with { Flags = f.Flags | FrameFlags.Historical },
                    _ => frame,
                };
                Assert.Equal(FrameGenerators.Payload(expected), payload);
                var framed = new ArrayBufferWriter<byte>();
                new StreamFrameEncoder().WritePayload(payload, framed);
                Assert.Equal(FrameGenerators.Framed(expected), framed.WrittenSpan.ToArray());

                bool hasHeader = StoredFrames.TryReadHeader(payload, out FrameType type, out ulong sequence);
                Assert.Equal(frame is not AckFrame, hasHeader);
                if (hasHeader)
                {
                    Assert.Equal(((IWireFrame)frame).Type, type);
                    Assert.Equal(SequenceOf(frame), sequence);
                }
            },
            iter: Iterations);

    [Fact]
    public void Mutated_payloads_never_throw_and_are_only_changed_when_true_is_returned() =>
        Gen.Select(FrameGenerators.Any, Gen.Int[0, int.MaxValue].Array[1, 4], Gen.Byte.Array[4], Gen.Int[0, int.MaxValue]).Sample(
            input =>
            {
                (object frame, int[] positions, byte[] values, int cut) = input;
                byte[] mutated = FrameGenerators.Payload(frame);
                for (int i = 0; i < positions.Length; i++)
                {
                    mutated[positions[i] % mutated.Length] = values[i];
                }

                foreach (byte[] payload in new[] { mutated, mutated[..(cut % mutated.Length)] })
                {
                    byte[] before = (byte[])payload.Clone();
                    StoredFrames.TryReadHeader(payload, out _, out _);
                    if (!StoredFrames.TrySetFlags(payload, FrameFlags.Historical))
                    {
                        Assert.Equal(before, payload);
                    }
                    else
                    {
                        // Only the one flags byte may change.
                        Assert.True(before.Zip(payload).Count(pair => pair.First != pair.Second) <= 1);
                    }
                }
            },
            iter: Iterations * 3);

    private static ulong SequenceOf(object frame) => frame switch
    {
        HelloFrame f => f.Sequence,
        PredictionFrame f => f.Sequence,
        AlarmFrame f => f.Sequence,
        HealthFrame f => f.Sequence,
        _ => throw new ArgumentException($"no sequence: {frame}", nameof(frame)),
    };
}
