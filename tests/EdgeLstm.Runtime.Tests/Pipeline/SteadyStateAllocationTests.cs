using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Tests.Pipeline;

public class SteadyStateAllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sampling_inference_decision_and_encoding_allocate_nothing_per_sample(bool textOutput) => AllocateNothingPerSample(textOutput, readUnderDeadline: false);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reading_under_the_read_deadline_allocates_nothing_per_sample_on_either_thread(bool textOutput) => AllocateNothingPerSample(textOutput, readUnderDeadline: true);

    private static void AllocateNothingPerSample(bool textOutput, bool readUnderDeadline)
    {
        // Two alarms (one calibrated, one fixed), Health every 2 s, stdout and file sinks: every stage is on. A bus
        // that would hang long after the run puts the simulated ADC's reads on a reader thread under the deadline.
        using var board = new TestBoard(
            bus: readUnderDeadline ? ", \"bus\": { \"blockedFromSeconds\": 1e6 }" : "",
            sinks: """[ { "type": "stdout" }, { "type": "file", "path": "frames.bin" } ]""",
            decision: """
                { "alarms": [
                  { "name": "fault", "score": "output", "output": "fault", "threshold": 0.8, "clearThreshold": 0.5, "minDurationSamples": 5 },
                  { "name": "anomaly", "score": "notFirstOutput", "smoothingAlpha": 0.2, "calibration": { "samples": 200, "factor": 3 } } ] }
                """);
        RuntimeSetup setup = RuntimeSetup.Load(board.ConfigPath, null, RunOverrides.None, out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));

        // start-up: JIT, calibration, the step fault at 5 s raises "fault"
        (long allocated, long predictions, long alarmChanges) = AllocatedInSteadyState(setup, textOutput, warmUpSamples: 1000, measuredSamples: 5000, readerThreads: readUnderDeadline ? 1 : 0);

        Assert.True(alarmChanges > 0, "the run must exercise the alarm path");
        Assert.Equal(6000, predictions);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over 5000 samples");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_embedded_demo_replaying_in_a_loop_allocates_nothing_per_sample(bool textOutput)
    {
        // What `edgelstm run --loop` and the throughput benchmark run: the CSV replay, the windowed int8 model,
        // the commissioned residual alarm and Health frames, across the replay's wrap-around.
        RuntimeSetup setup = RuntimeSetup.Load(null, null, new RunOverrides(Loop: true), out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
        Assert.True(setup.Board.Config.Devices.OfType<ReplayConfig>().Single().Loop);
        const int Rows = 1154; // valve1/5

        (long allocated, long predictions, long alarmChanges) = AllocatedInSteadyState(setup, textOutput, warmUpSamples: Rows, measuredSamples: 3 * Rows, readerThreads: 0);

        Assert.Equal(8, alarmChanges); // raised and cleared inside the fault on every pass
        Assert.Equal(4 * Rows - 15, predictions);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over {3 * Rows} samples");
    }

    /// <summary>
    /// Runs the board as <c>edgelstm run</c> wires it, to <see cref="Stream.Null"/>; returns the bytes allocated over
    /// <paramref name="measuredSamples"/> samples after <paramref name="warmUpSamples"/>, and the run's predictions and alarm changes.
    /// The bytes count the sampling thread and the reader threads of the devices read under the read deadline (the
    /// simulated I2C chips: <paramref name="readerThreads"/> of them).
    /// </summary>
    private static (long Allocated, long Predictions, long AlarmChanges) AllocatedInSteadyState(RuntimeSetup setup, bool textOutput, int warmUpSamples, int measuredSamples, int readerThreads)
    {
        using SensorBoard sensors = SensorBoard.Create(setup.Board);
        List<FrameSink> sinks = SinkFactory.Create(setup.Sections.Sinks, setup.Board.BaseDirectory, textOutput, Stream.Null, TextWriter.Null);
        using FrameEmitter emitter = setup.CreateEmitter(sinks);
        using BoardPipeline pipeline = setup.CreatePipeline(sensors, emitter, TextWriter.Null);

        Assert.Equal(readerThreads, Enumerable.Range(0, sensors.Sampler.Devices.Count).Count(sensors.Sampler.IsReadUnderDeadline));
        for (int i = 0; i < warmUpSamples; i++) Assert.True(pipeline.Step());
        long before = GC.GetAllocatedBytesForCurrentThread();
        long readersBefore = sensors.Sampler.ReaderThreadAllocatedBytes;
        for (int i = 0; i < measuredSamples; i++) Assert.True(pipeline.Step());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before + (sensors.Sampler.ReaderThreadAllocatedBytes - readersBefore);
        return (allocated, pipeline.Predictions, pipeline.AlarmChanges);
    }
}
