using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;

namespace EdgeLstm.Sensors.Tests.Configuration;

public class InvalidConfigTests
{
    private const string Ads = """{ "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ] }""";

    private static string Board(string devices = Ads, string sampler = "\"rateHz\": 10", string extra = "", string board = "\"name\": \"b\", \"hardware\": \"raspberryPi4\"") =>
        $$"""{ "board": { {{board}} }, "sampler": { {{sampler}} }, "devices": [ {{devices}} ]{{extra}} }""";

    private static IReadOnlyList<ConfigProblem> Problems(string json)
    {
        var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Parse(json, Repository.Root, "test.json"));
        Assert.All(ex.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Hint), $"no hint for {p}"));
        Assert.StartsWith("test.json: ", ex.Message, StringComparison.Ordinal);
        return ex.Problems;
    }

    private static ConfigProblem Single(string json, string path, string messagePart)
    {
        IReadOnlyList<ConfigProblem> problems = Problems(json);
        ConfigProblem p = Assert.Single(problems);
        Assert.Equal(path, p.Path);
        Assert.Contains(messagePart, p.Message, StringComparison.Ordinal);
        return p;
    }

    [Fact]
    public void Valid_minimal_board_loads()
    {
        LoadedBoardConfig loaded = BoardConfigLoader.Parse(Board(), Repository.Root);
        var ads = Assert.IsType<Ads1115Config>(Assert.Single(loaded.Config.Devices));
        Assert.Equal(0x48, ads.Address.Value);
        Assert.Equal(860, ads.DataRate); // default kept when the key is omitted
        Assert.Equal(1.0, ads.Channels[0].Scale);
        Assert.Equal(5, loaded.Config.Sampler.HoldLimit);
    }

    [Fact]
    public void Syntax_error_names_line_and_column()
    {
        ConfigProblem p = Single("{\n  \"board\": { \"name\": \"b\" },\n  \"sampler\": { \"rateHz\": 10 }\n  \"devices\": []\n}", "$", "line 4, column 3");
        Assert.Contains("missing comma", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_type_may_come_after_other_keys()
    {
        LoadedBoardConfig loaded = BoardConfigLoader.Parse(Board(devices: """{ "name": "adc", "channels": [ { "name": "a0", "input": "AIN0" } ], "type": "ads1115" }"""), Repository.Root);
        Assert.IsType<Ads1115Config>(Assert.Single(loaded.Config.Devices));
    }

    [Fact]
    public void Comments_are_allowed()
    {
        BoardConfigLoader.Parse("// pump\n" + Board(), Repository.Root);
    }

    [Fact]
    public void Wrong_types_are_named_with_expected_type()
    {
        IReadOnlyList<ConfigProblem> problems = Problems(Board(
            devices: """{ "type": "ads1115", "name": "adc", "bus": "one", "dataRate": 475.5, "channels": [ { "name": "a0", "input": "AIN0", "scale": "2" } ] }""",
            sampler: "\"rateHz\": \"fast\", \"holdLimit\": true"));
        Assert.Equal(["$.sampler.rateHz", "$.sampler.holdLimit", "$.devices[0].bus", "$.devices[0].dataRate", "$.devices[0].channels[0].scale"], problems.Select(p => p.Path));
        Assert.Contains("expected a number, found the string \"fast\"", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("expected an integer, found true", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("expected an integer, found the number 475.5", problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_everywhere_are_errors_with_suggestions()
    {
        IReadOnlyList<ConfigProblem> problems = Problems(Board(
            devices: """{ "type": "ads1115", "name": "adc", "adress": "0x48", "channels": [ { "name": "a0", "input": "AIN0", "scael": 2 } ] }""",
            sampler: "\"rateHz\": 10, \"rate\": 5"));
        Assert.Equal(["$.sampler.rate", "$.devices[0].adress", "$.devices[0].channels[0].scael"], problems.Select(p => p.Path));
        Assert.Contains("did you mean 'rateHz'?", problems[0].Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'address'?", problems[1].Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'scale'?", problems[2].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_keys_are_listed()
    {
        IReadOnlyList<ConfigProblem> problems = Problems("""{ "board": { }, "devices": [ { "type": "tachometer", "name": "t", "channels": [ { "quantity": "rpm" } ] } ] }""");
        Assert.Equal(["$.board.name", "$.devices[0].channels[0].name", "$.devices[0].pin", "$.sampler"], problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Contains("is missing", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_device_type_lists_the_types()
    {
        ConfigProblem p = Single(Board(devices: """{ "type": "ads1015", "name": "x", "channels": [] }"""), "$.devices[0].type", "unknown type 'ads1015'");
        Assert.Contains("'ads1115'", p.Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'ads1115'?", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_device_type_is_reported()
    {
        Single(Board(devices: """{ "name": "x", "channels": [] }"""), "$.devices[0].type", "missing the string key 'type'");
    }

    [Fact]
    public void Bad_enum_value_lists_allowed_values()
    {
        ConfigProblem p = Single(Board(devices: """{ "type": "tachometer", "name": "t", "pin": 4, "pull": "sideways", "channels": [ { "name": "r", "quantity": "rpm" } ] }"""),
            "$.devices[0].pull", "expected one of 'none', 'up', 'down'");
        Assert.Contains("camelCase", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_rejected()
    {
        Single(Board(extra: ", \"alarm\": null"), "$.alarm", "null is not allowed");
    }

    [Fact]
    public void Duplicate_json_keys_are_rejected()
    {
        Single(Board(sampler: "\"rateHz\": 10, \"rateHz\": 20"), "$.sampler.rateHz", "appears more than once");
    }

    [Fact]
    public void Duplicate_channel_and_device_names()
    {
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: Ads + "," + Ads.Replace("0x48", "0x49", StringComparison.Ordinal)));
        Assert.Equal(["$.devices[1].name", "$.devices[1].channels[0].name"], problems.Select(p => p.Path));
        Assert.Contains("'adc' is already used by $.devices[0]", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("'a0' is already used at $.devices[0].channels[0]", problems[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x02")]
    [InlineData("0x78")]
    [InlineData("200")]
    public void I2c_address_outside_the_7_bit_range(string address)
    {
        string json = Board(devices: Ads.Replace("\"0x48\"", address.StartsWith('0') ? $"\"{address}\"" : address, StringComparison.Ordinal));
        ConfigProblem p = Single(json, "$.devices[0].address", "is outside 0x03–0x77");
        Assert.Contains("ADS1115: 0x48–0x4B", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_the_chip_cannot_have()
    {
        Single(Board(devices: Ads.Replace("0x48", "0x20", StringComparison.Ordinal)), "$.devices[0].address", "cannot be a ADS1115");
    }

    [Fact]
    public void Malformed_address_string()
    {
        ConfigProblem p = Single(Board(devices: Ads.Replace("0x48", "48h", StringComparison.Ordinal)), "$.devices[0].address", "expected an I2C address");
        Assert.Contains("\"0x48\"", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_chips_at_one_address()
    {
        string second = """{ "type": "ads1115", "name": "adc2", "address": 72, "channels": [ { "name": "b0", "input": "AIN1" } ] }""";
        Single(Board(devices: Ads + "," + second), "$.devices[1].address", "I2C bus 1 address 0x48 is already used by $.devices[0]");
    }

    [Fact]
    public void Pin_used_twice_and_pins_of_the_i2c_bus()
    {
        string devices = Ads + """, { "type": "tachometer", "name": "t", "pin": 17, "channels": [ { "name": "rpm", "quantity": "rpm" } ] }"""
            + """, { "type": "gpioInput", "name": "sw", "pin": 2, "channels": [ { "name": "sw" } ] }""";
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: devices, extra: ", \"alarm\": { \"pin\": 17 }"));
        Assert.Equal(["$.devices[2].pin", "$.alarm.pin"], problems.Select(p => p.Path));
        Assert.Contains("GPIO 2 for GPIO input 'sw' is already taken by SDA of I2C bus 1 (used by 'adc')", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("GPIO 17 for the alarm output is already taken by tachometer 't'", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pin_that_is_not_on_the_raspberry_pi_header()
    {
        ConfigProblem p = Single(Board(extra: ", \"alarm\": { \"pin\": 40 }"), "$.alarm.pin", "GPIO 40 does not exist on the Raspberry Pi header");
        Assert.Contains("BCM numbers 0–27", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_rate_the_ads1115_cannot_deliver()
    {
        string ads = """{ "type": "ads1115", "name": "adc", "dataRate": 250, "channels": [ { "name": "a", "input": "AIN0" }, { "name": "b", "input": "AIN1" } ] }""";
        ConfigProblem p = Single(Board(devices: ads, sampler: "\"rateHz\": 200"), "$.devices[0].dataRate", "needs 400 conversions/s, but the ADS1115 runs at 250 SPS");
        Assert.Contains("Raise dataRate to at least 400", p.Hint, StringComparison.Ordinal);
        Assert.Contains("lower sampler.rateHz to 125", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_rates_other_chips_cannot_deliver()
    {
        string devices = """
            { "type": "mpu6050", "name": "imu", "window": 16, "channels": [ { "name": "v", "axis": "x", "statistic": "rms" } ] },
            { "type": "bme280", "name": "env", "oversampling": 16, "channels": [ { "name": "t", "quantity": "temperature" } ] },
            { "type": "ina219", "name": "pwr", "channels": [ { "name": "i", "quantity": "current" } ] }
            """;
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: devices, sampler: "\"rateHz\": 1000"));
        Assert.Equal(["$.devices[0].window", "$.devices[1].oversampling", "$.sampler.rateHz"], problems.Select(p => p.Path));
        Assert.Contains("16000 reads/s", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("takes up to 112.8 ms", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("INA219 'pwr'", problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chip_settings_outside_what_the_chips_offer()
    {
        string devices = """
            { "type": "ads1115", "name": "adc", "fullScaleVolts": 5, "dataRate": 1000, "channels": [ { "name": "a", "input": "AIN4" } ] },
            { "type": "mcp3008", "name": "mcp", "clockHz": 5000000, "referenceVolts": 12, "channels": [ { "name": "m", "input": 8 } ] },
            { "type": "ina219", "name": "pwr", "busVoltageRange": 24, "shuntRangeMillivolts": 100, "channels": [ { "name": "i", "quantity": "current" } ] },
            { "type": "ina219", "name": "pwr2", "address": "0x41", "shuntOhms": 1, "maxCurrentAmperes": 1, "shuntRangeMillivolts": 40, "channels": [ { "name": "i2", "quantity": "current" } ] }
            """;
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: devices, board: "\"name\": \"b\""));
        Assert.Equal([
            "$.devices[0].fullScaleVolts", "$.devices[0].dataRate", "$.devices[0].channels[0].input",
            "$.devices[1].referenceVolts", "$.devices[1].clockHz", "$.devices[1].channels[0].input",
            "$.devices[2].busVoltageRange", "$.devices[2].shuntRangeMillivolts", "$.devices[3].shuntRangeMillivolts"], problems.Select(p => p.Path));
        Assert.Contains("readings would saturate", problems[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Channel_settings()
    {
        string ads = """{ "type": "ads1115", "name": "adc", "channels": [ { "name": "", "input": "AIN0" }, { "name": "b", "input": "AIN1", "scale": 0, "min": 5, "max": 1 } ] }""";
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: ads + """, { "type": "gpioInput", "name": "g", "pin": 5, "channels": [ { "name": "g1" }, { "name": "g2" } ] }"""));
        Assert.Equal(["$.devices[0].channels[0].name", "$.devices[0].channels[1].scale", "$.devices[0].channels[1].min", "$.devices[1].channels"], problems.Select(p => p.Path));
    }

    [Fact]
    public void Board_without_devices_or_channels()
    {
        IReadOnlyList<ConfigProblem> empty = Problems("""{ "board": { "name": "b" }, "sampler": { "rateHz": 0 }, "devices": [] }""");
        Assert.Equal(["$.sampler.rateHz", "$.devices"], empty.Select(p => p.Path));
        Single(Board(devices: """{ "type": "ads1115", "name": "adc", "channels": [] }"""), "$.devices[0].channels", "has no channels");
    }

    [Fact]
    public void Fast_clock_on_real_hardware()
    {
        ConfigProblem p = Single(Board(sampler: "\"rateHz\": 10, \"clock\": \"fast\""), "$.sampler.clock", "cannot drive real hardware");
        Assert.Contains("\"board.simulated\": true", p.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_inputs_and_faults()
    {
        string ads = """
            { "type": "ads1115", "name": "adc", "channels": [ { "name": "a", "input": "AIN0" } ],
              "simulation": { "inputs": { "ain7": { "offset": 1 }, "ain0": { "noise": -1, "faults": [ { "kind": "imbalance", "startSeconds": 5 }, { "kind": "step", "startSeconds": -1, "delta": 1 } ] } },
                              "bus": { "failEveryNthRead": -2, "disconnectedFromSeconds": 10, "disconnectedUntilSeconds": 5 } } }
            """;
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: ads, board: "\"name\": \"b\", \"simulated\": true"));
        Assert.Equal([
            "$.devices[0].simulation.inputs.ain7", "$.devices[0].simulation.inputs.ain0.noise", "$.devices[0].simulation.inputs.ain0.faults[0]",
            "$.devices[0].simulation.inputs.ain0.faults[1].startSeconds", "$.devices[0].simulation.bus.failEveryNthRead", "$.devices[0].simulation.bus.disconnectedUntilSeconds"], problems.Select(p => p.Path));
        Assert.Contains("'ain0', 'ain1', 'ain2', 'ain3'", problems[0].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_file_missing_column_missing_and_malformed_csv()
    {
        string folder = Path.Combine(Path.GetTempPath(), "edgelstm-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "good.csv"), "t;Current\r\n0;1\r\n1;2\r\n");
            File.WriteAllText(Path.Combine(folder, "bad.csv"), "t;Current\n0;1\n1;x\n");
            string devices = """
                { "type": "replay", "name": "r1", "file": "missing.csv", "channels": [ { "name": "c1" } ] },
                { "type": "replay", "name": "r2", "file": "good.csv", "channels": [ { "name": "Current" }, { "name": "v", "column": "Voltage" } ] },
                { "type": "replay", "name": "r3", "file": "bad.csv", "speed": 0, "channels": [ { "name": "c3", "column": "Current" } ] }
                """;
            var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Parse(Board(devices: devices, board: "\"name\": \"b\""), folder));
            Assert.Equal(["$.devices[0].file", "$.devices[1].channels[1].column", "$.devices[2].speed", "$.devices[2].file"], ex.Problems.Select(p => p.Path));
            Assert.Contains("'missing.csv' not found", ex.Problems[0].Message, StringComparison.Ordinal);
            Assert.Contains("'Current'", ex.Problems[1].Hint, StringComparison.Ordinal);
            Assert.Contains("bad.csv:3:2: 'x' in column 'Current' is not a finite number", ex.Problems[3].Message, StringComparison.Ordinal);
            Assert.Contains("'.' as the decimal point", ex.Problems[3].Hint, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Replay_with_rows_sharing_a_time_is_refused_for_recorded_timing_only()
    {
        string folder = Directory.CreateTempSubdirectory("edgelstm-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "same.csv"), "t;Current\n0;1\n1;2\n1;3\n2;4\n");
            string devices = """
                { "type": "replay", "name": "r1", "file": "same.csv", "loop": true, "channels": [ { "name": "c1", "column": "Current" } ] },
                { "type": "replay", "name": "r2", "file": "same.csv", "timing": "sequential", "loop": true, "channels": [ { "name": "c2", "column": "Current" } ] }
                """;
            var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Parse(Board(devices: devices, board: "\"name\": \"b\""), folder));
            ConfigProblem p = Assert.Single(ex.Problems);
            Assert.Equal("$.devices[0].file", p.Path);
            Assert.StartsWith($"{Path.Combine(folder, "same.csv")}:4:1: the time repeats that of line 3", p.Message, StringComparison.Ordinal);
            Assert.Contains("\"sequential\"", p.Hint, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("\"readDeadlineMilliseconds\": 0", "$.sampler.readDeadlineMilliseconds", "outside 1 – 60000 ms")]
    [InlineData("\"readDeadlineMilliseconds\": 60001", "$.sampler.readDeadlineMilliseconds", "outside 1 – 60000 ms")]
    public void Read_deadline_out_of_range_is_refused(string setting, string path, string message)
    {
        Single(Board(sampler: $"\"rateHz\": 10, {setting}"), path, message);
    }

    [Fact]
    public void Read_deadline_and_a_hanging_bus_are_read_from_the_config()
    {
        string devices = """{ "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ], "simulation": { "bus": { "blockedFromSeconds": 2, "blockedUntilSeconds": 7 } } }""";
        LoadedBoardConfig loaded = BoardConfigLoader.Parse(Board(devices: devices, sampler: "\"rateHz\": 10, \"readDeadlineMilliseconds\": 80", board: "\"name\": \"b\", \"simulated\": true"), Repository.Root);
        Assert.Equal(80, loaded.Config.Sampler.ReadDeadlineMilliseconds);
        using SensorBoard board = SensorBoard.Create(loaded);
        Assert.True(board.Sampler.IsReadUnderDeadline(0));
        BusFaults faults = board.SimulatedBusFaults["adc"];
        Assert.Equal((2_000_000_000L, 7_000_000_000L), (faults.BlockedFromNanoseconds, faults.BlockedUntilNanoseconds));
    }

    [Theory]
    [InlineData("\"blockedFromSeconds\": -1", "$.devices[0].simulation.bus.blockedFromSeconds", "outside 0 – 1e9 s")]
    [InlineData("\"blockedUntilSeconds\": 3", "$.devices[0].simulation.bus.blockedUntilSeconds", "without blockedFromSeconds")]
    [InlineData("\"blockedFromSeconds\": 3, \"blockedUntilSeconds\": 3", "$.devices[0].simulation.bus.blockedUntilSeconds", "recovers before it hangs")]
    public void Hanging_bus_faults_are_checked(string bus, string path, string message)
    {
        string devices = $$"""{ "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ], "simulation": { "bus": { {{bus}} } } }""";
        Single(Board(devices: devices, board: "\"name\": \"b\", \"simulated\": true"), path, message);
    }

    [Fact]
    public void Every_problem_is_listed_in_one_exception()
    {
        string devices = Ads + "," + Ads + """, { "type": "tachometer", "name": "t", "pin": 99, "channels": [ { "name": "r", "quantity": "rpm" } ] }""";
        IReadOnlyList<ConfigProblem> problems = Problems(Board(devices: devices, sampler: "\"rateHz\": 10, \"holdLimit\": -1"));
        Assert.True(problems.Count >= 5, string.Join("\n", problems));
    }

    [Fact]
    public void Sections_other_projects_own_are_left_to_them()
    {
        // The runtime reads "model", "decision", … itself (RuntimeBoardFile); the sensor loader alone does not look at them.
        LoadedBoardConfig loaded = BoardConfigLoader.Parse(Board(extra: """, "model": { "path": 3 }, "anything": true"""), Repository.Root);
        Assert.Equal("b", loaded.Config.Board.Name);
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Load("/nonexistent/board.json"));
        Assert.Equal("the config file '/nonexistent/board.json' cannot be read: the folder '/nonexistent' does not exist.", ex.Problems[0].Message);
    }

    [Fact]
    public void A_folder_given_as_the_config_is_named_as_such()
    {
        string folder = Directory.CreateTempSubdirectory("board-folder").FullName;
        try
        {
            var ex = Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Load(folder));
            Assert.Equal($"the config file '{folder}' cannot be read: it is a folder, not a file.", ex.Problems[0].Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
