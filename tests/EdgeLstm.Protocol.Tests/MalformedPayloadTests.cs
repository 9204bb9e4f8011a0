namespace EdgeLstm.Protocol.Tests;

/// <summary>Every way a frame's MessagePack payload can be wrong yields a typed error naming what and where.</summary>
public class MalformedPayloadTests
{
    private static DecodeResult Decode(string hex, DecoderLimits? limits = null) =>
        PayloadDecoder.Decode(ExampleFrames.Bytes(hex), limits ?? DecoderLimits.Default);

    [Fact]
    public void Payload_over_the_size_limit()
    {
        var limits = new DecoderLimits { MaxPayloadBytes = 10 };

        FrameError error = FrameAssert.Malformed(Decode(ExampleFrames.PredictionPayload, limits), FrameErrorKind.FrameTooLong);

        Assert.Contains("payload of 22 bytes is over the limit of 10", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Array_claiming_more_elements_than_bytes_left()
    {
        // Prediction array of 6 elements but only the tag and half a sequence number follow.
        FrameError error = FrameAssert.Malformed(Decode("96 02 ce 00 01"), FrameErrorKind.TruncatedPayload);

        Assert.Equal(0, error.PayloadOffset);
        Assert.Contains("array claims 6 elements but only 4 bytes follow", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void String_running_past_the_end()
    {
        // [1, 1, "pu…" declared as 7 bytes with only 2 present, …]
        FrameError error = FrameAssert.Malformed(Decode("93 01 01 a7 70 75"), FrameErrorKind.TruncatedPayload);

        Assert.Equal(3, error.PayloadOffset);
        Assert.Equal("the String value runs past the end of the payload", error.Detail);
    }

    [Fact]
    public void Bin_claiming_four_gigabytes()
    {
        // [5, 1, bin32 of 0xFFFFFFFF bytes]: the library's own Skip would throw on this length.
        FrameError error = FrameAssert.Malformed(Decode("93 05 01 c6 ff ff ff ff 00"), FrameErrorKind.TruncatedPayload);

        Assert.Equal(3, error.PayloadOffset);
        Assert.Equal("the Binary value runs past the end of the payload", error.Detail);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Limits_below_one_are_refused(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DecoderLimits { MaxArrayLength = value });

        Assert.Contains("MaxArrayLength must be between 1 and", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecoderLimits { MaxPayloadBytes = int.MaxValue });
    }

    [Fact]
    public void Empty_payload() =>
        FrameAssert.Malformed(Decode(""), FrameErrorKind.TruncatedPayload);

    [Fact]
    public void Array32_count_above_int_max()
    {
        // array32 header claiming 0x80CE0001 elements: read as a negative int by the library, it must not pass.
        FrameError error = FrameAssert.Malformed(Decode("dd 80 ce 00 01"), FrameErrorKind.LengthOverLimit);

        Assert.Equal(0, error.PayloadOffset);
        Assert.Contains("array of 2160984065 elements is over the limit of 1024", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_single_byte_change_of_every_example_is_handled_without_the_exception_backstop()
    {
        foreach (string hex in new[]
        {
            ExampleFrames.HelloPayload, ExampleFrames.PredictionPayload, ExampleFrames.PredictionWithValuesPayload, ExampleFrames.AlarmPayload,
            ExampleFrames.HealthPayload, ExampleFrames.AckPayload, ExampleFrames.HelloV1Payload, ExampleFrames.PredictionV1Payload,
            ExampleFrames.HealthV1Payload, ExampleFrames.AckV1Payload,
        })
        {
            byte[] original = ExampleFrames.Bytes(hex);
            for (int position = 0; position < original.Length; position++)
            {
                for (int value = 0; value < 256; value++)
                {
                    byte[] changed = (byte[])original.Clone();
                    changed[position] = (byte)value;

                    DecodeResult result = PayloadDecoder.Decode(changed);

                    Assert.False(
                        result.Status == DecodeStatus.Malformed && result.Error.Detail.StartsWith("undecodable payload", StringComparison.Ordinal),
                        $"byte {position} = 0x{value:X2} reached the exception backstop: {result}");
                }
            }
        }
    }

    [Fact]
    public void Bytes_after_the_frame_array()
    {
        FrameError error = FrameAssert.Malformed(Decode(ExampleFrames.AckPayload + " 01 02"), FrameErrorKind.TrailingBytes);

        Assert.Equal(16, error.PayloadOffset);
        Assert.Contains("2 bytes follow the frame's array", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_byte_0xC1()
    {
        FrameError error = FrameAssert.Malformed(Decode("93 05 01 c1"), FrameErrorKind.InvalidMessagePack);

        Assert.Equal(3, error.PayloadOffset);
        Assert.Contains("0xC1", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_in_an_ignored_trailing_field()
    {
        // Ack with a trailing field nested 9 arrays deep: [5, 1, 0, [[[[[[[[[]]]]]]]]]] → depth 10 counting the frame.
        string nested = string.Concat(Enumerable.Repeat("91 ", 8)) + "90";
        FrameError error = FrameAssert.Malformed(Decode("94 05 01 00 " + nested), FrameErrorKind.NestingTooDeep);

        Assert.Contains("nesting depth 9 is over the limit of 8", error.Detail, StringComparison.Ordinal);
        Assert.Equal(11, error.PayloadOffset);
    }

    [Fact]
    public void Array_longer_than_the_limit()
    {
        // The Health frame's own array has 21 elements (an array16: dc 00 15); its channelReadErrors array has 22.
        var limits = new DecoderLimits { MaxArrayLength = 21 };
        var health = ExampleFrames.Health with { ChannelReadErrors = new uint[22] };

        DecodeResult result = PayloadDecoder.Decode(ExampleFrames.Payload(health), limits);

        FrameError error = FrameAssert.Malformed(result, FrameErrorKind.LengthOverLimit);
        Assert.Contains("array of 22 elements is over the limit of 21", error.Detail, StringComparison.Ordinal);
        Assert.Equal(23, error.PayloadOffset);
    }

    [Fact]
    public void Probabilities_longer_than_the_limit_name_the_field()
    {
        var limits = new DecoderLimits { MaxArrayLength = 8 };
        var prediction = ExampleFrames.Prediction with { Probabilities = new byte[16] };

        FrameError error = FrameAssert.Malformed(PayloadDecoder.Decode(ExampleFrames.Payload(prediction), limits), FrameErrorKind.LengthOverLimit);

        Assert.Equal(4, error.FieldIndex);
        Assert.Equal("probabilities", error.FieldName);
        Assert.Equal(13, error.PayloadOffset);
        Assert.Equal("LengthOverLimit in Prediction field 4 (probabilities) at payload byte 13: 16 bytes is over the limit of 8", error.ToString());
    }

    [Fact]
    public void String_longer_than_the_limit_names_the_field()
    {
        var limits = new DecoderLimits { MaxStringBytes = 10 };

        FrameError error = FrameAssert.Malformed(Decode(ExampleFrames.HelloPayload, limits), FrameErrorKind.LengthOverLimit);

        Assert.Equal("modelId", error.FieldName);
        Assert.Contains("string of 17 bytes is over the limit of 10", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("05")]
    [InlineData("a3 61 62 63")]
    [InlineData("81 01 02")]
    public void Payload_that_is_not_an_array(string hex)
    {
        FrameError error = FrameAssert.Malformed(Decode(hex), FrameErrorKind.NotAnArray);

        Assert.Equal(0, error.PayloadOffset);
    }

    [Theory]
    [InlineData("90", "found an empty array")]
    [InlineData("92 a1 61 01", "found String")]
    [InlineData("92 c0 01", "found Nil")]
    public void Missing_or_non_integer_type_tag(string hex, string detail)
    {
        FrameError error = FrameAssert.Malformed(Decode(hex), FrameErrorKind.InvalidTypeTag);

        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
        Assert.Equal(1, error.PayloadOffset);
    }

    [Theory]
    [InlineData("93 02 01 02", "Prediction", "2 fields after the tag, Prediction needs 5")]
    [InlineData("91 05", "Ack", "0 fields after the tag, Ack needs 1")]
    [InlineData("92 01 01", "Hello", "1 fields after the tag, Hello needs 8")]
    public void Fewer_fields_than_the_frame_type_requires(string hex, string type, string detail)
    {
        FrameError error = FrameAssert.Malformed(Decode(hex), FrameErrorKind.TooFewFields);

        Assert.Contains(type, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_for_a_field_names_field_offset_and_both_types()
    {
        // The example Prediction with its probabilities bin (c4 04 …) replaced by a 4-character string.
        FrameError error = FrameAssert.Malformed(
            Decode("96 02 ce 00 01 e2 40 ce 00 36 ee 80 00 a4 61 62 63 64 0f"),
            FrameErrorKind.WrongFieldType);

        Assert.Equal("WrongFieldType in Prediction field 4 (probabilities) at payload byte 13: expected Binary, found String", error.ToString());
    }

    [Theory]
    [InlineData("98 02 01 01 00 c4 00 00 90 a1 68", "flags", 9, "expected Integer, found String")]
    [InlineData("98 02 01 01 00 c4 00 00 90 c0", "flags", 9, "expected Integer, found Nil")]
    [InlineData("98 02 01 01 00 c4 00 00 90 ca 3f 80 00 00", "flags", 9, "expected Integer, found Float")]
    [InlineData("98 03 01 02 c3 03 ca 3f 00 00 00 04 c3", "flags", 12, "expected Integer, found Boolean")]
    [InlineData("98 02 01 01 00 c4 00 00 c4 01 05 00", "values", 8, "expected Array, found Binary")]
    [InlineData("98 02 01 01 00 c4 00 00 92 ca 3f 80 00 00 a1 78 00", "values", 14, "element 1: expected Float, found String")]
    [InlineData("98 02 01 01 00 c4 00 00 91 c0 00", "values", 9, "element 0: expected Float, found Nil")]
    [InlineData("93 05 01 a2 69 64", "sessionId", 3, "expected Integer, found String")]
    [InlineData("9b 01 02 a0 a0 a0 90 90 00 00 c2 00", "sessionId", 10, "expected Integer, found Boolean")]
    public void Wrong_type_in_a_field_version_2_appended_names_the_field(string hex, string field, int offset, string detail)
    {
        FrameError error = FrameAssert.Malformed(Decode(hex), FrameErrorKind.WrongFieldType);

        Assert.Equal(field, error.FieldName);
        Assert.Equal(offset, error.PayloadOffset);
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_journal_fields_out_of_range_name_the_field()
    {
        byte[] v1 = ExampleFrames.Bytes(ExampleFrames.HealthV1Payload);
        byte[] Health(int fields, params byte[] appended) => [0xdc, 0x00, (byte)(13 + fields), .. v1[1..], .. appended];

        Assert.Equal("journalBacklog", FrameAssert.Malformed(PayloadDecoder.Decode(Health(1, 0xcf, 0, 0, 0, 1, 0, 0, 0, 0)), FrameErrorKind.ValueOutOfRange).FieldName);
        Assert.Equal("journalEvictions", FrameAssert.Malformed(PayloadDecoder.Decode(Health(2, 0, 0xff)), FrameErrorKind.ValueOutOfRange).FieldName);
        Assert.Equal("journalDamaged", FrameAssert.Malformed(PayloadDecoder.Decode(Health(3, 0, 0, 0xa0)), FrameErrorKind.WrongFieldType).FieldName);
        FrameError flags = FrameAssert.Malformed(PayloadDecoder.Decode(Health(4, 0, 0, 0, 0xcc, 0xff)), FrameErrorKind.ValueOutOfRange);
        Assert.Equal("Health field 16 (flags)", $"{(FrameType)flags.TypeTag} field {flags.FieldIndex} ({flags.FieldName})");
    }

    [Fact]
    public void Flags_in_a_wider_integer_encoding_are_read()
    {
        // Writers always use a positive fixint, but decoders accept any integer encoding of 0…127 (uint8 here).
        DecodeResult result = Decode("98 03 01 02 c3 03 ca 3f 00 00 00 04 cc 01");

        Assert.Equal(FrameFlags.Historical, result.Alarm.Flags);
    }

    [Fact]
    public void Wrong_type_inside_a_string_array_names_the_element()
    {
        FrameError error = FrameAssert.Malformed(
            Decode("99 01 01 a1 64 a1 66 a1 6d 92 a1 61 07 90 ca 42 c8 00 00 00"),
            FrameErrorKind.WrongFieldType);

        Assert.Equal("channelNames", error.FieldName);
        Assert.Equal(12, error.PayloadOffset);
        Assert.Contains("element 1: expected String, found Integer", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_for_a_boolean_and_a_float()
    {
        FrameError raised = FrameAssert.Malformed(Decode("97 03 01 02 01 03 ca 3f 00 00 00 04"), FrameErrorKind.WrongFieldType);
        Assert.Equal("raised", raised.FieldName);
        Assert.Contains("expected Boolean, found Integer", raised.Detail, StringComparison.Ordinal);

        FrameError score = FrameAssert.Malformed(Decode("97 03 01 02 c3 03 a1 78 04"), FrameErrorKind.WrongFieldType);
        Assert.Equal("score", score.FieldName);
        Assert.Contains("expected Float, found String", score.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("96 02 ff 01 00 c4 00 00", "sequence", "-1 is outside 0…18446744073709551615")]
    [InlineData("96 02 01 01 00 c4 00 cc c8", "anomalyLevel", "200 is outside 0…127")]
    [InlineData("96 02 01 01 cc 80 c4 00 00", "status", "128 is outside 0…127")]
    [InlineData("92 05 d3 ff ff ff ff ff ff ff fe", "highestSequence", "-2 is outside 0…18446744073709551615")]
    [InlineData("93 05 01 e0", "sessionId", "-32 is outside 0…18446744073709551615")]
    [InlineData("97 03 01 02 c3 ce 80 00 00 00 ca 3f 00 00 00 04", "classIndex", "2147483648 is outside -2147483648…2147483647")]
    [InlineData("98 02 01 01 00 c4 00 00 90 cc 80", "flags", "128 is outside 0…127")]
    [InlineData("98 03 01 02 c3 03 ca 3f 00 00 00 04 ff", "flags", "-1 is outside 0…127")]
    [InlineData("9b 01 02 a0 a0 a0 90 90 00 00 00 ff", "sequence", "-1 is outside 0…18446744073709551615")]
    public void Value_out_of_range_names_the_field_and_the_value(string hex, string field, string detail)
    {
        FrameError error = FrameAssert.Malformed(Decode(hex), FrameErrorKind.ValueOutOfRange);

        Assert.Equal(field, error.FieldName);
        Assert.Contains(detail, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_array_element_names_its_index()
    {
        var health = ExampleFrames.Payload(ExampleFrames.Health);

        // channelReadErrors is "93 00 05 00" at payload byte 23; make element 1 negative (d0 fb = -5).
        byte[] damaged = [.. health[..25], 0xd0, 0xfb, .. health[26..]];
        FrameError error = FrameAssert.Malformed(PayloadDecoder.Decode(damaged), FrameErrorKind.ValueOutOfRange);

        Assert.Equal("channelReadErrors", error.FieldName);
        Assert.Equal(25, error.PayloadOffset);
        Assert.Contains("element 1: -5 is outside", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoder_refuses_values_the_wire_format_cannot_carry()
    {
        var badAnomaly = ExampleFrames.Prediction with { AnomalyLevel = 128 };
        var badStatus = ExampleFrames.Prediction with { Status = (PredictionStatus)0x80 };
        var reserved = (FrameFlags)0x81;

        Assert.Contains("anomaly level 128", Assert.Throws<InvalidOperationException>(() => ExampleFrames.Payload(badAnomaly)).Message, StringComparison.Ordinal);
        Assert.Contains("status 0x80", Assert.Throws<InvalidOperationException>(() => ExampleFrames.Payload(badStatus)).Message, StringComparison.Ordinal);
        Assert.Equal(
            "Prediction 123456: flags 0x81 use bit 7, which the wire format reserves.",
            Assert.Throws<InvalidOperationException>(() => ExampleFrames.Payload(ExampleFrames.Prediction with { Flags = reserved })).Message);
        Assert.Contains("Alarm 123457: flags 0x81", Assert.Throws<InvalidOperationException>(() => ExampleFrames.Payload(ExampleFrames.Alarm with { Flags = reserved })).Message, StringComparison.Ordinal);
        Assert.Contains("Health 123500: flags 0x81", Assert.Throws<InvalidOperationException>(() => ExampleFrames.Payload(ExampleFrames.Health with { Flags = reserved })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_encoder_refuses_payloads_over_its_limit()
    {
        var encoder = new StreamFrameEncoder(maxPayloadBytes: 50);

        var error = Assert.Throws<InvalidOperationException>(() => encoder.Write(ExampleFrames.Hello, new System.Buffers.ArrayBufferWriter<byte>()));

        Assert.Contains("Hello frame payload is 116 bytes; the limit is 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_a_result_for_the_wrong_frame_type_explains_itself()
    {
        DecodeResult ack = PayloadDecoder.Decode(ExampleFrames.Bytes(ExampleFrames.AckPayload));

        var error = Assert.Throws<InvalidOperationException>(() => ack.Prediction);
        Assert.Contains("This result is Ack frame, not a Prediction frame", error.Message, StringComparison.Ordinal);
    }
}
