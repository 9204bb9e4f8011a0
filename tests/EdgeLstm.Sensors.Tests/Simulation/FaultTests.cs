using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;

namespace EdgeLstm.Sensors.Tests.Simulation;

public class FaultTests
{
    private static Signal FromConfig(string faults) =>
        SignalFactory.Create(System.Text.Json.JsonSerializer.Deserialize($$"""{ "offset": 10, "amplitude": 1, "frequencyHz": 0.1, "faults": [ {{faults}} ] }""",
            BoardConfigJsonContext.Default.SignalConfig)!);

    [Fact]
    public void A_step_with_an_end_is_a_sag_that_goes_away()
    {
        var sag = new StepFault(10, -3, 20);
        Assert.Equal([0.0, -3, -3, 0, 0], new[] { 9.99, 10, 19.99, 20, 100 }.Select(sag.ValueAt));
        Assert.Equal(-3, new StepFault(10, -3).ValueAt(1e6)); // without an end it stays
    }

    [Fact]
    public void A_drift_grows_linearly_from_its_start_until_its_end()
    {
        var drift = new DriftFault(100, 0.01, 400);
        Assert.Equal(0, drift.ValueAt(50));
        Assert.Equal(0, drift.ValueAt(100));
        Assert.Equal(1.5, drift.ValueAt(250), 12);
        Assert.Equal(0, drift.ValueAt(400));
        Assert.Equal(9.0, new DriftFault(100, 0.01).ValueAt(1000), 12);
    }

    [Fact]
    public void A_stuck_sensor_with_an_end_reads_live_again()
    {
        var live = new SineSignal(0, 1, 0.1);
        var stuck = new StuckFault(live, 2, 5);
        Assert.Equal(live.ValueAt(1), stuck.ValueAt(1));
        Assert.Equal(live.ValueAt(2), stuck.ValueAt(4));
        Assert.Equal(live.ValueAt(6), stuck.ValueAt(6));
    }

    [Fact]
    public void An_imbalance_with_an_end_is_gone_after_it()
    {
        var imbalance = new GrowingImbalanceFault(1, 24.5, 0.5, 3);
        Assert.NotEqual(0, imbalance.ValueAt(2.01));
        Assert.Equal(0, imbalance.ValueAt(3));
    }

    [Fact]
    public void Config_faults_apply_in_order_with_their_ends()
    {
        // A drift of +1/s from 10 s and a sag of -5 from 20 s to 30 s, on 10 + sin(2π·0.1·t).
        Signal s = FromConfig("""{ "kind": "drift", "startSeconds": 10, "growthPerSecond": 1 }, { "kind": "step", "startSeconds": 20, "endSeconds": 30, "delta": -5 }""");
        Assert.Equal(10, s.ValueAt(0), 12);
        Assert.Equal(10 + Math.Sin(2 * Math.PI * 0.1 * 15) + 5, s.ValueAt(15), 12);
        Assert.Equal(10 + Math.Sin(2 * Math.PI * 0.1 * 25) + 15 - 5, s.ValueAt(25), 12);
        Assert.Equal(10 + Math.Sin(2 * Math.PI * 0.1 * 35) + 25, s.ValueAt(35), 12);
    }

    [Fact]
    public void A_drift_without_a_rate_and_an_end_before_the_start_are_config_problems()
    {
        string board = """
            { "board": { "name": "b", "simulated": true }, "sampler": { "rateHz": 10 },
              "devices": [ { "type": "ads1115", "name": "adc", "channels": [ { "name": "a", "input": "AIN0" } ],
                "simulation": { "inputs": { "ain0": { "faults": [ { "kind": "drift", "startSeconds": 5 }, { "kind": "step", "startSeconds": 5, "endSeconds": 5, "delta": 1 } ] } } } } ] }
            """;
        var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Parse(board, Repository.Root));
        Assert.Equal(["$.devices[0].simulation.inputs.ain0.faults[0]", "$.devices[0].simulation.inputs.ain0.faults[1].endSeconds"], ex.Problems.Select(p => p.Path));
        Assert.Contains("growthPerSecond", ex.Problems[0].Message, StringComparison.Ordinal);
    }
}
