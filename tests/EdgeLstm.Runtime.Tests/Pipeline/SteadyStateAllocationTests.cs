using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Tests.Pipeline;

public class SteadyStateAllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sampling_inference_decision_and_encoding_allocate_nothing_per_sample(bool textOutput)
    {
        // Two alarms (one calibrated, one fixed), Health every 2 s, stdout and file sinks: every stage is on.
        using var board = new TestBoard(
            sinks: """[ { "type": "stdout" }, { "type": "file", "path": "frames.bin" } ]""",
            decision: """
                { "alarms": [
                  { "name": "fault", "score": "output", "output": "fault", "threshold": 0.8, "clearThreshold": 0.5, "minDurationSamples": 5 },
                  { "name": "anomaly", "score": "notFirstOutput", "smoothingAlpha": 0.2, "calibration": { "samples": 200, "factor": 3 } } ] }
                """);
        RuntimeSetup setup = RuntimeSetup.Load(board.ConfigPath, null, out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
        using SensorBoard sensors = SensorBoard.Create(setup.Board);
        List<FrameSink> sinks = SinkFactory.Create(setup.Board.Config.Sinks, setup.Board.BaseDirectory, textOutput, Stream.Null, TextWriter.Null);
        using var emitter = new FrameEmitter(sinks, setup.Model.Metadata.OutputNames, carriesProbabilities: true);
        using var pipeline = new BoardPipeline(sensors.Sampler, sensors.Alarm, setup.Model, setup.Rules, emitter, TimeSpan.FromSeconds(2), TextWriter.Null);

        for (int i = 0; i < 1000; i++) Step(); // start-up: JIT, calibration, the step fault at 5 s raises "fault"
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(pipeline.AlarmChanges > 0, "the run must exercise the alarm path");
        Assert.Equal(6000, pipeline.Predictions);
        Assert.True(allocated == 0, $"{allocated} bytes allocated over 5000 samples");

        void Step()
        {
            Assert.True(sensors.Sampler.WaitAndSample());
            pipeline.ProcessSample(sensors.Sampler.Frame);
        }
    }
}
