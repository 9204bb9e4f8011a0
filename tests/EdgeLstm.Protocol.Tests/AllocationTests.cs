using System.Buffers;

namespace EdgeLstm.Protocol.Tests;

/// <summary>Encoding on the board's hot path allocates nothing once buffers have grown to size.</summary>
public class AllocationTests
{
    private const int Repetitions = 1000;

    [Fact]
    public void Stream_encoding_of_every_frame_type_allocates_nothing_after_warm_up()
    {
        var encoder = new StreamFrameEncoder();
        var output = new ArrayBufferWriter<byte>(4096);
        byte[] probabilities = new byte[4];
        uint[] channelErrors = new uint[3];
        HelloFrame hello = ExampleFrames.Hello;

        void EncodeAll(uint sequence)
        {
            output.ResetWrittenCount();

            // The runtime refills the same arrays each sample; only the struct is rebuilt, on the stack.
            probabilities[sequence % 4] = (byte)sequence;
            channelErrors[1] = sequence;
            encoder.Write(new PredictionFrame { Sequence = sequence, TimeMs = sequence * 10, Probabilities = probabilities, AnomalyLevel = 3 }, output);
            encoder.Write(new AlarmFrame { Sequence = sequence, Raised = true, ClassIndex = 2, Score = 0.9f, DurationMs = 100 }, output);
            encoder.Write(new HealthFrame { Sequence = sequence, ChannelReadErrors = channelErrors, CpuTemperatureMilliCelsius = 40_000 }, output);
            encoder.Write(new AckFrame { HighestSequence = sequence }, output);
            encoder.Write(hello, output);
        }

        EncodeAll(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (uint i = 1; i <= Repetitions; i++)
        {
            EncodeAll(i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > 100, "the loop must really have encoded frames");
    }

    [Fact]
    public void Datagram_encoding_allocates_nothing_after_warm_up()
    {
        var output = new ArrayBufferWriter<byte>(256);
        byte[] probabilities = [1, 2, 3, 4];
        PredictionFrame prediction = ExampleFrames.Prediction with { Probabilities = probabilities };

        DatagramFrames.Write(prediction, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Repetitions; i++)
        {
            output.ResetWrittenCount();
            DatagramFrames.Write(prediction, output);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(20, output.WrittenCount);
    }

    [Fact]
    public void Board_reads_acks_from_a_stream_without_allocating()
    {
        var decoder = new StreamFrameDecoder();
        byte[] acks = [.. ExampleFrames.Framed(new AckFrame { HighestSequence = 1 }), .. ExampleFrames.Framed(new AckFrame { HighestSequence = 70_000 })];
        long sum = 0;

        void ReadAll()
        {
            int offset = 0;
            while (decoder.TryDecodeNext(acks.AsSpan(offset), out int consumed, out DecodeResult result))
            {
                offset += consumed;
                sum += result.Ack.HighestSequence;
            }
        }

        ReadAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Repetitions; i++)
        {
            ReadAll();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal((Repetitions + 1) * 70_001L, sum);
    }
}
