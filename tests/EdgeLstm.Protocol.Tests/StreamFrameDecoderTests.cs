namespace EdgeLstm.Protocol.Tests;

/// <summary>Framing errors, resynchronisation and bounded memory on byte streams.</summary>
public class StreamFrameDecoderTests
{
    private static readonly byte[] ExamplePrediction = ExampleFrames.Bytes(ExampleFrames.PredictionFramed);
    private static readonly byte[] ExampleAck = ExampleFrames.Bytes(ExampleFrames.AckFramed);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Frames_split_across_reads_at_any_point_decode_with_their_stream_offsets(int chunkSize)
    {
        byte[] stream = [.. ExamplePrediction, .. ExampleAck, .. ExamplePrediction];

        List<DecodeResult> results = StreamDecoding.DecodeAll(stream, chunkSize: chunkSize);

        Assert.Equal(3, results.Count);
        FrameAssert.Decoded(ExampleFrames.Prediction, results[0]);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
        FrameAssert.Decoded(ExampleFrames.Prediction, results[2]);
        Assert.Equal([0L, 26L, 46L], results.Select(r => r.StreamOffset));
    }

    [Fact]
    public void Empty_frames_between_delimiters_are_ignored()
    {
        List<DecodeResult> results = StreamDecoding.DecodeAll([0, 0, .. ExampleAck, 0, 0, .. ExampleAck]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.IsFrame));
    }

    [Fact]
    public void Corrupted_byte_costs_only_its_own_frame()
    {
        byte[] damaged = (byte[])ExamplePrediction.Clone();
        damaged[15] ^= 0x40;

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. ExampleAck, .. damaged, .. ExampleAck]);

        Assert.Equal(3, results.Count);
        FrameError error = FrameAssert.Malformed(results[1], FrameErrorKind.CrcMismatch);
        Assert.Equal(20, error.StreamOffset);
        Assert.Contains("CRC-16 in the frame is 0xE36F but the 22-byte payload gives 0x", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("frame at stream byte 20", error.ToString(), StringComparison.Ordinal);
        Assert.True(results[0].IsFrame && results[2].IsFrame);
    }

    [Fact]
    public void Garbage_before_a_frame_is_reported_and_the_frame_is_still_delivered()
    {
        byte[] garbage = [0x17, 0x99, 0xfe, 0x03, 0x42, 0x42, 0x01];

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. garbage, .. ExamplePrediction]);

        Assert.Equal(2, results.Count);
        Assert.Equal(DecodeStatus.Malformed, results[0].Status);
        Assert.Equal(0, results[0].StreamOffset);
        FrameAssert.Decoded(ExampleFrames.Prediction, results[1]);
        Assert.Equal(garbage.Length, results[1].StreamOffset);
    }

    [Fact]
    public void Lost_delimiter_glues_two_frames_and_the_second_is_recovered()
    {
        byte[] first = (byte[])ExamplePrediction.Clone();
        first[^1] = 0x55;

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. first, .. ExampleAck]);

        Assert.Equal(2, results.Count);
        Assert.Equal(DecodeStatus.Malformed, results[0].Status);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
        Assert.Equal(26, results[1].StreamOffset);
    }

    [Fact]
    public void Two_kilobyte_frame_behind_noise_is_still_found()
    {
        var hello = ExampleFrames.Hello with
        {
            ChannelNames = Enumerable.Range(0, 100).Select(i => $"channel-{i:D3}-of-a-long-rig").ToArray(),
        };
        byte[] framed = ExampleFrames.Framed(hello);
        byte[] noise = Enumerable.Range(0, 300).Select(i => (byte)(i * 37 % 255 + 1)).ToArray();

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. noise, .. framed]);

        Assert.InRange(framed.Length, 2000, 4000);
        Assert.Equal(2, results.Count);
        FrameAssert.Decoded(hello, results[1]);
    }

    [Fact]
    public void Hostile_block_full_of_candidate_tails_is_reported_and_the_next_frame_decodes()
    {
        // "02 91" repeated: every other byte starts a tail whose COBS chain ends at the block end.
        byte[] hostile = Enumerable.Range(0, 4000).Select(i => i % 2 == 0 ? (byte)0x02 : (byte)0x91).ToArray();

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. hostile, 0x00, .. ExampleAck]);

        Assert.Equal(2, results.Count);
        FrameAssert.Malformed(results[0], FrameErrorKind.CrcMismatch);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
    }

    [Fact]
    public void Frame_recovered_from_a_bad_block_is_handed_out_next_even_at_end_of_stream()
    {
        var decoder = new StreamFrameDecoder();
        byte[] input = [0x11, 0x22, .. ExampleAck];

        Assert.True(decoder.TryDecodeNext(input, out int consumed, out DecodeResult error));
        Assert.Equal(input.Length, consumed);
        Assert.Equal(DecodeStatus.Malformed, error.Status);

        Assert.True(decoder.TryFinish(out DecodeResult recovered));
        FrameAssert.Decoded(ExampleFrames.Ack, recovered);
        Assert.Equal(2, recovered.StreamOffset);
        Assert.False(decoder.TryFinish(out _));
    }

    [Fact]
    public void Truncated_frame_followed_by_an_intact_one()
    {
        List<DecodeResult> results = StreamDecoding.DecodeAll([.. ExamplePrediction[..10], .. ExampleAck]);

        Assert.Equal(2, results.Count);
        Assert.Equal(DecodeStatus.Malformed, results[0].Status);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
    }

    [Fact]
    public void Invalid_cobs_code_byte()
    {
        // Code byte 0x09 promises 8 data bytes but only 3 follow.
        List<DecodeResult> results = StreamDecoding.DecodeAll([0x09, 0x01, 0x02, 0x03, 0x00]);

        FrameError error = FrameAssert.Malformed(Assert.Single(results), FrameErrorKind.InvalidCobs);
        Assert.Contains("COBS code byte at frame byte 0 points past the end of the 4-byte frame", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_too_short_for_a_payload_and_crc()
    {
        List<DecodeResult> results = StreamDecoding.DecodeAll([0x03, 0x92, 0x05, 0x00]);

        FrameError error = FrameAssert.Malformed(Assert.Single(results), FrameErrorKind.FrameTooShort);
        Assert.Contains("2 bytes after COBS decoding", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_ending_inside_a_frame()
    {
        List<DecodeResult> results = StreamDecoding.DecodeAll([.. ExampleAck, .. ExamplePrediction[..7]]);

        Assert.Equal(2, results.Count);
        FrameError error = FrameAssert.Malformed(results[1], FrameErrorKind.TruncatedStream);
        Assert.Equal(20, error.StreamOffset);
        Assert.Contains("the stream ended 7 bytes into a frame", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Endless_run_without_delimiter_uses_bounded_memory_and_the_frame_after_it_survives()
    {
        var limits = new DecoderLimits { MaxPayloadBytes = 64 };
        byte[] flood = Enumerable.Repeat((byte)0x7a, 100_000).ToArray();

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. flood, .. ExampleAck, .. ExampleAck], limits, chunkSize: 1000);

        Assert.Equal(3, results.Count);
        FrameError error = FrameAssert.Malformed(results[0], FrameErrorKind.FrameTooLong);
        Assert.Equal(0, error.StreamOffset);
        Assert.Contains("100019 bytes without a 0x00 delimiter; the limit is 67", error.Detail, StringComparison.Ordinal);
        FrameAssert.Decoded(ExampleFrames.Ack, results[1]);
        Assert.Equal(100_000, results[1].StreamOffset);
        FrameAssert.Decoded(ExampleFrames.Ack, results[2]);
    }

    [Fact]
    public void Valid_framing_around_a_malformed_payload_reports_the_payload_error_with_the_stream_offset()
    {
        // A correctly framed (COBS + CRC) payload that is a MessagePack string, not an array.
        byte[] payload = ExampleFrames.Bytes("a3 61 62 63");
        byte[] block = [.. payload, 0, 0];
        Crc16Ccitt.Write(payload, block.AsSpan(payload.Length));
        byte[] framed = new byte[Cobs.MaxEncodedLength(block.Length) + 1];
        int length = Cobs.Encode(block, framed);

        List<DecodeResult> results = StreamDecoding.DecodeAll([.. ExampleAck, .. framed[..(length + 1)]]);

        FrameError error = FrameAssert.Malformed(results[1], FrameErrorKind.NotAnArray);
        Assert.Equal(20, error.StreamOffset);
    }
}
