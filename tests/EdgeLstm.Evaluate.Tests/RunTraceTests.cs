using System.Buffers;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Protocol;

namespace EdgeLstm.Evaluate.Tests;

public class RunTraceTests
{
    private static readonly string[] Channels = ["a", "b"];

    [Fact]
    public async Task Decodes_frames_onto_the_sample_axis()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var encoder = new StreamFrameEncoder();
        encoder.Write(new HelloFrame { ProtocolVersion = 1, DeviceId = "test", FirmwareVersion = "1", ModelId = "0", ChannelNames = Channels, OutputLabels = Channels, SampleRateHz = 2, EpochUnixMs = 0 }, buffer);
        encoder.Write(new PredictionFrame { Sequence = 1, TimeMs = 7_500, AnomalyLevel = 64, Probabilities = ReadOnlyMemory<byte>.Empty }, buffer);
        encoder.Write(new AlarmFrame { Sequence = 2, TimeMs = 8_000, Raised = true, ClassIndex = AlarmFrame.AnomalyClassIndex, Score = 2.5f }, buffer);
        encoder.Write(new HealthFrame { Sequence = 3 }, buffer);
        encoder.Write(new AlarmFrame { Sequence = 4, TimeMs = 9_500, Raised = false, ClassIndex = AlarmFrame.AnomalyClassIndex, Score = 1f }, buffer);

        RunTrace trace = await RunTrace.DecodeAsync(new MemoryStream(buffer.WrittenSpan.ToArray()));

        Assert.Equal(2f, trace.SampleRateHz);
        ScorePoint score = Assert.Single(trace.Scores);
        Assert.Equal(15, score.Sample); // 7.5 s at 2 Hz
        Assert.Equal(Quantization.FromAnomalyLevel(64), score.Anomaly);
        Assert.Equal([new TracedAlarmChange(16, true, 2.5f), new TracedAlarmChange(19, false, 1f)], trace.Alarms);
    }

    [Fact]
    public async Task A_frame_before_Hello_or_a_corrupt_stream_is_an_error()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new StreamFrameEncoder().Write(new AlarmFrame { TimeMs = 1000, Raised = true }, buffer);
        await Assert.ThrowsAsync<EvaluationException>(() => RunTrace.DecodeAsync(new MemoryStream(buffer.WrittenSpan.ToArray())));

        await Assert.ThrowsAsync<EvaluationException>(() => RunTrace.DecodeAsync(new MemoryStream([1, 2, 3, 0])));
    }
}
