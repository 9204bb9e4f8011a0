using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>A sensor whose bus hangs, run through the whole pipeline as <c>edgelstm run</c> wires it.</summary>
public class StuckSensorTests
{
    [Fact]
    public async Task A_sensor_hung_for_five_seconds_is_abandoned_counted_and_recovers_while_the_pipeline_keeps_its_rate()
    {
        // The ADC's bus hangs from 3 s to 8 s of board time (fast clock); the streaming model predicts on every sample.
        using var board = new TestBoard(bus: """, "bus": { "blockedFromSeconds": 3, "blockedUntilSeconds": 8 }""");
        RuntimeSetup setup = RuntimeSetup.Load(board.ConfigPath, null, RunOverrides.None, out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
        using SensorBoard sensors = SensorBoard.Create(setup.Board);
        using FrameEmitter emitter = setup.CreateEmitter(SinkFactory.Create(setup.Sections.Sinks, setup.Board.BaseDirectory, true, Stream.Null, TextWriter.Null));
        using BoardPipeline pipeline = setup.CreatePipeline(sensors, emitter, TextWriter.Null);
        Sampler sampler = sensors.Sampler;
        long steps = 0, afterRecovery = 0, degraded = 0;
        Task run = Task.Run(() =>
        {
            // Until the hung read has returned (its reader thread polls the fast clock) and 100 samples more.
            while (afterRecovery < 100)
            {
                Assert.True(pipeline.Step());
                Assert.Equal(steps * 10_000_000, sampler.Frame.TimestampNanoseconds); // the 100 Hz grid, never a missed sample
                steps++;
                degraded += sampler.Frame.IsDegraded ? 1 : 0;
                afterRecovery += sampler.Counters.Devices[0].Recoveries > 0 ? 1 : 0;
            }
        });
        await run.WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard, not a speed check: a hang fails with a TimeoutException

        Assert.Equal(steps, pipeline.Predictions);
        DeviceCounters device = sampler.Counters.Devices[0];
        Assert.Equal((1L, 1L), (device.Timeouts, device.Recoveries));
        long hungSamples = sampler.Counters.Channels[0].Timeouts;
        Assert.True(hungSamples >= 500, $"{hungSamples} samples without a reading: the bus hung for 5 s at 100 Hz");
        Assert.Equal(hungSamples, degraded);
        Assert.Equal(hungSamples - 3, sampler.Counters.Channels[0].BadSamples); // held for holdLimit 3, then bad
        Assert.Equal(SampleStatus.Good, sampler.Frame.Statuses[0]);
    }
}
