using System.Buffers;

namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// Encoding on the board's hot path allocates nothing once buffers have grown to size, and neither does decoding a
/// frame that holds no arrays or strings: results carry the frame unboxed.
/// </summary>
public class AllocationTests
{
    private const int Repetitions = 1000;

    [Fact]
    public void Stream_encoding_of_every_frame_type_allocates_nothing_after_warm_up()
    {
        var encoder = new StreamFrameEncoder();
        var output = new ArrayBufferWriter<byte>(4096);
        byte[] probabilities = new byte[4];
        float[] values = new float[3];
        uint[] channelErrors = new uint[3];
        HelloFrame hello = ExampleFrames.Hello;

        ulong sequence = uint.MaxValue;
        void EncodeAll()
        {
            sequence++;
            output.ResetWrittenCount();

            // The runtime refills the same arrays each sample; only the struct is rebuilt, on the stack.
            probabilities[sequence % 4] = (byte)sequence;
            values[sequence % 3] = sequence;
            channelErrors[1] = (uint)sequence;
            encoder.Write(new PredictionFrame { Sequence = sequence, TimeMs = (uint)sequence * 10, Probabilities = probabilities, AnomalyLevel = 3, Values = values }, output);
            encoder.Write(new AlarmFrame { Sequence = sequence, Raised = true, ClassIndex = 2, Score = 0.9f, DurationMs = 100, Flags = FrameFlags.Historical }, output);
            encoder.Write(new HealthFrame { Sequence = sequence, ChannelReadErrors = channelErrors, CpuTemperatureMilliCelsius = 40_000, JournalBacklog = 5, JournalEvictions = sequence }, output);
            encoder.Write(new AckFrame { HighestSequence = sequence, SessionId = ExampleFrames.SessionId }, output);
            encoder.Write(hello with { Sequence = sequence }, output);
        }

        Assert.Equal(0, AllocatedAfterWarmUp(EncodeAll));
        Assert.True(output.WrittenCount > 100, "the loop must really have encoded frames");
    }

    [Fact]
    public void Datagram_encoding_allocates_nothing_after_warm_up()
    {
        var output = new ArrayBufferWriter<byte>(256);
        byte[] probabilities = [1, 2, 3, 4];
        PredictionFrame prediction = ExampleFrames.Prediction with { Probabilities = probabilities };

        void Encode()
        {
            output.ResetWrittenCount();
            DatagramFrames.Write(prediction, output);
        }

        Assert.Equal(0, AllocatedAfterWarmUp(Encode));
        Assert.Equal(22, output.WrittenCount);
    }

    [Fact]
    public void Framing_a_stored_payload_allocates_nothing_after_warm_up()
    {
        var encoder = new StreamFrameEncoder();
        var output = new ArrayBufferWriter<byte>(256);
        byte[] stored = ExampleFrames.Bytes(ExampleFrames.HealthPayload);

        void Frame()
        {
            output.ResetWrittenCount();
            encoder.WritePayload(stored, output);
        }

        Assert.Equal(0, AllocatedAfterWarmUp(Frame));
        Assert.Equal(ExampleFrames.HealthFramed, ExampleFrames.Hex(output.WrittenSpan));
    }

    [Fact]
    public void Reading_and_marking_stored_payloads_allocates_nothing()
    {
        // What a journal does per record on a resend: index it by type and sequence, mark it historical.
        byte[][] stored =
        [
            ExampleFrames.Bytes(ExampleFrames.PredictionWithValuesPayload),
            ExampleFrames.Bytes(ExampleFrames.AlarmPayload),
            ExampleFrames.Bytes(ExampleFrames.HealthPayload),
            ExampleFrames.Bytes(ExampleFrames.HelloPayload),
            ExampleFrames.Bytes(ExampleFrames.AckPayload),
            ExampleFrames.Bytes(ExampleFrames.PredictionV1Payload),
        ];
        ulong sum = 0;
        int marked = 0;

        void Each()
        {
            foreach (byte[] payload in stored)
            {
                if (StoredFrames.TryReadHeader(payload, out _, out ulong sequence))
                {
                    sum += sequence;
                }

                if (StoredFrames.TrySetFlags(payload, FrameFlags.Historical))
                {
                    marked++;
                }
            }
        }

        Assert.Equal(0, AllocatedAfterWarmUp(Each));
        Assert.Equal(3 * (Repetitions + 1), marked);
        ulong perRun = (1UL << 32) + 17 + 123_457 + 123_500 + 120_000 + 123_456;
        Assert.Equal((Repetitions + 1) * perRun, sum);
    }

    [Fact]
    public void Board_reads_acks_from_a_stream_without_allocating()
    {
        var decoder = new StreamFrameDecoder();
        byte[] acks =
        [
            .. ExampleFrames.Framed(new AckFrame { HighestSequence = 1, SessionId = ExampleFrames.SessionId }),
            .. ExampleFrames.Framed(new AckFrame { HighestSequence = 70_000, SessionId = ExampleFrames.SessionId }),
        ];
        ulong sum = 0;

        void ReadAll()
        {
            int offset = 0;
            while (decoder.TryDecodeNext(acks.AsSpan(offset), out int consumed, out DecodeResult result))
            {
                offset += consumed;
                sum += result.Ack.HighestSequence;
            }
        }

        Assert.Equal(0, AllocatedAfterWarmUp(ReadAll));
        Assert.Equal((Repetitions + 1) * 70_001UL, sum);
    }

    [Fact]
    public void Decoding_an_alarm_allocates_nothing()
    {
        // The result must hold the Alarm in a field of its own type: a boxed frame would cost an object per decode.
        ReadOnlyMemory<byte> raised = ExampleFrames.Payload(ExampleFrames.Alarm);
        ReadOnlyMemory<byte> cleared = ExampleFrames.Payload(ExampleFrames.Alarm with { Raised = false, ClassIndex = -1 });
        long sum = 0;

        void DecodeBoth() => sum += PayloadDecoder.Decode(raised).Alarm.ClassIndex + DatagramFrames.Decode(cleared).Alarm.ClassIndex;

        Assert.Equal(0, AllocatedAfterWarmUp(DecodeBoth));
        Assert.Equal((Repetitions + 1) * (3L - 1), sum);
    }

    /// <summary>Runs <paramref name="work"/> once to warm up, then returns the bytes <see cref="Repetitions"/> more runs allocate.</summary>
    private static long AllocatedAfterWarmUp(Action work)
    {
        work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Repetitions; i++)
        {
            work();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
