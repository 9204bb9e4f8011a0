using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Tests.Configuration;

/// <summary>The runtime's sections of a board file, checked in the same pass as the sensor sections.</summary>
public class RuntimeSectionsTests
{
    private static string Board(string extra = "", string devices = """{ "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ] }""") =>
        $$"""{ "board": { "name": "b", "hardware": "raspberryPi4" }, "sampler": { "rateHz": 10 }, "devices": [ {{devices}} ]{{extra}} }""";

    private static IReadOnlyList<ConfigProblem> Problems(string json, RunOverrides? overrides = null)
    {
        var ex = Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(json, Repository.Root, overrides ?? RunOverrides.None, "test.json"));
        Assert.All(ex.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Hint), $"no hint for {p}"));
        return ex.Problems;
    }

    [Fact]
    public void Runtime_sections_are_typed_and_checked()
    {
        string extra = """
            , "model": { "path": "" }, "decision": { "threshold": 0.5, "clearThreshold": 0.9, "minDurationSamples": 0 },
            "sinks": [ { "type": "file" }, { "type": "tcp", "host": "c", "port": 70000 }, { "type": "serial", "device": "/dev/ttyS0" }, { "type": "stdout" } ],
            "health": { "intervalSeconds": 0 }
            """;
        IReadOnlyList<ConfigProblem> problems = Problems(Board(extra: extra));
        Assert.Equal(["$.model.path", "$.decision.clearThreshold", "$.decision.minDurationSamples", "$.sinks[0].path", "$.sinks[1]", "$.sinks[2]", "$.health.intervalSeconds"], problems.Select(p => p.Path));
    }

    [Fact]
    public void Decision_alarms_are_checked_field_by_field()
    {
        string inline = """
            , "decision": { "smoothingAlpha": 0, "warmUpSamples": -5, "score": "output", "calibration": { "samples": 0, "quantile": 1.5, "factor": -1, "clearRatio": 0 } }
            """;
        IReadOnlyList<ConfigProblem> problems = Problems(Board(extra: inline));
        Assert.Equal(["$.decision.warmUpSamples", "$.decision.smoothingAlpha", "$.decision.output", "$.decision.calibration.samples", "$.decision.calibration.quantile",
            "$.decision.calibration.factor", "$.decision.calibration.clearRatio"], problems.Select(p => p.Path));

        string list = """
            , "decision": { "threshold": 1, "alarms": [
                { "name": "a", "score": "residual" },
                { "name": "a", "threshold": 0.5, "clearThreshold": 0.4, "output": "x" },
                { "threshold": 0.5, "calibration": { "samples": 400 }, "clearThreshold": 0.1 } ] }
            """;
        problems = Problems(Board(extra: list));
        Assert.Equal(["$.decision", "$.decision.alarms[0]", "$.decision.alarms[1].output", "$.decision.alarms[1].name",
            "$.decision.alarms[2].threshold", "$.decision.alarms[2].clearThreshold"], problems.Select(p => p.Path));
        Assert.Contains("threshold or a calibration", problems[1].Message, StringComparison.Ordinal);

        Assert.Contains(Problems(Board(extra: """, "decision": { "score": "loudest", "threshold": 1 }""")), p => p.Path == "$.decision.score");
        RuntimeSections valid = RuntimeBoardFile.Parse(Board(extra: """, "decision": { "score": "residual", "smoothingAlpha": 0.1, "calibration": { "samples": 400, "quantile": 0.99, "factor": 2.5, "clearRatio": 0.75 } }"""), Repository.Root, RunOverrides.None).Sections;
        Assert.Equal(AlarmScore.Residual, valid.Decision!.Score);
        Assert.Equal(2.5, valid.Decision.Calibration!.Factor);
    }

    [Fact]
    public void An_unknown_top_level_key_is_reported_with_every_allowed_key()
    {
        ConfigProblem p = Assert.Single(Problems(Board(extra: """, "modle": { "path": "m.elstm" }""")));
        Assert.Equal("$.modle", p.Path);
        Assert.Contains("unknown key 'modle'", p.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'model'?", p.Hint, StringComparison.Ordinal);
        Assert.Contains("'board'", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensor_and_runtime_problems_come_in_one_list()
    {
        IReadOnlyList<ConfigProblem> problems = Problems(Board(extra: """, "health": { "intervalSeconds": 0 }""", devices: """{ "type": "ads1115", "name": "adc", "address": "0x10", "channels": [ { "name": "a0", "input": "AIN0" } ] }"""));
        Assert.Equal(["$.devices[0].address", "$.health.intervalSeconds"], problems.Select(p => p.Path));
    }

    [Fact]
    public void Overrides_are_written_into_the_file_before_it_is_validated()
    {
        // --speed max on real hardware: the validator's own rule, named after the option that asked for it.
        ConfigProblem clock = Assert.Single(Problems(Board(), new RunOverrides(RunSpeed.Max)));
        Assert.Equal("$.sampler.clock", clock.Path);
        Assert.StartsWith("--speed max: the fast clock cannot drive real hardware", clock.Message, StringComparison.Ordinal);

        ConfigProblem loop = Assert.Single(Problems(Board(), new RunOverrides(Loop: true)));
        Assert.StartsWith("--loop: the board replays no recording", loop.Message, StringComparison.Ordinal);

        string replay = """{ "type": "replay", "name": "r", "file": "tools/datasets/skab/valve1/5.csv", "timing": "sequential", "channels": [ { "name": "Current" } ] }""";
        (LoadedBoardConfig board, _) = RuntimeBoardFile.Parse(Board(devices: replay), Repository.Root, new RunOverrides(RunSpeed.Max, Loop: true));
        Assert.Equal(ClockKind.Fast, board.Config.Sampler.Clock);
        Assert.True(Assert.IsType<Sensors.Devices.ReplayConfig>(Assert.Single(board.Config.Devices)).Loop);
    }
}
