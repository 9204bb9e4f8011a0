using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using Json.Schema;

namespace EdgeLstm.Sensors.Tests.Configuration;

public class BoardFileTests
{
    public static TheoryData<string> BoardFiles() => [.. BoardFileNames()];

    private static string[] BoardFileNames() =>
        [.. Directory.GetFiles(Path.Combine(Repository.Root, "firmware-config"), "*.json").Select(f => Path.GetFileName(f)).Where(f => f != "board.schema.json").Order(StringComparer.Ordinal)];

    [Fact]
    public void The_example_boards_exist()
    {
        Assert.Equal(["pi4-pump-monitor.json", "pi5-env-power.json", "sim-pump-house.json", "sim-skab-replay.json", "sim-synthetic-faults.json"], BoardFileNames());
    }

    [Theory]
    [MemberData(nameof(BoardFiles))]
    public void Board_file_passes_the_loader(string file)
    {
        string path = Repository.FirmwareConfig(file);
        LoadedBoardConfig loaded = BoardConfigLoader.Load(path);
        Assert.NotEmpty(loaded.Config.Devices);
    }

    [Theory]
    [MemberData(nameof(BoardFiles))]
    public void Board_file_passes_the_json_schema(string file)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.FirmwareConfig(file)));
        EvaluationResults result = Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("""{"board":{"name":"x"},"sampler":{"rateHz":1},"devices":[],"extra":1}""")]
    [InlineData("""{"board":{"name":"x"},"sampler":{"rateHz":"fast"},"devices":[]}""")]
    [InlineData("""{"board":{"name":"x"},"sampler":{"rateHz":1},"devices":[{"type":"ads1115","name":"a","channels":[{"name":"c","input":"AIN9"}]}]}""")]
    [InlineData("""{"board":{"name":"x"},"sampler":{"rateHz":1},"devices":[{"type":"adc","name":"a","channels":[]}]}""")]
    [InlineData("""{"board":{"name":"x"},"sampler":{"rateHz":1},"devices":[{"type":"tachometer","name":"t","pin":4,"channels":[{"name":"r","quantity":"rpm","colour":"red"}]}]}""")]
    public void Schema_rejects_what_the_loader_rejects(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.False(Schema.Evaluate(doc.RootElement).IsValid);
        Assert.Throws<BoardConfigException>(() => BoardConfigLoader.Parse(json, Repository.Root));
    }

    private static readonly JsonSchema Schema = JsonSchema.FromFile(Repository.FirmwareConfig("board.schema.json"));

    public static TheoryData<string, string> SchemaDefinitions() => new()
    {
        { "", nameof(BoardConfig) }, { "/properties/board", nameof(BoardInfo) }, { "/properties/sampler", nameof(SamplerConfig) },
        { "/properties/alarm", nameof(AlarmConfig) }, { "/properties/model", nameof(ModelConfig) }, { "/properties/decision", nameof(DecisionConfig) },
        { "/properties/health", nameof(HealthConfig) }, { "/$defs/sink", nameof(SinkConfig) }, { "/$defs/signal", nameof(SignalConfig) },
        { "/$defs/fault", nameof(FaultConfig) }, { "/$defs/busFaults", nameof(BusFaultConfig) }, { "/$defs/simulation", nameof(SimulationConfig) },
        { "/$defs/channel", nameof(ChannelConfig) }, { "/$defs/ads1115Channel", nameof(Ads1115ChannelConfig) }, { "/$defs/mcp3008Channel", nameof(Mcp3008ChannelConfig) },
        { "/$defs/mpu6050Channel", nameof(Mpu6050ChannelConfig) }, { "/$defs/bme280Channel", nameof(Bme280ChannelConfig) }, { "/$defs/ina219Channel", nameof(Ina219ChannelConfig) },
        { "/$defs/tachometerChannel", nameof(TachometerChannelConfig) }, { "/$defs/replayChannel", nameof(ReplayChannelConfig) },
        { "/$defs/ads1115", nameof(Ads1115Config) }, { "/$defs/mcp3008", nameof(Mcp3008Config) }, { "/$defs/mpu6050", nameof(Mpu6050Config) },
        { "/$defs/bme280", nameof(Bme280Config) }, { "/$defs/ina219", nameof(Ina219Config) }, { "/$defs/tachometer", nameof(TachometerConfig) },
        { "/$defs/gpioInput", nameof(GpioInputConfig) }, { "/$defs/replay", nameof(ReplayConfig) },
        { "/$defs/alarmRule", nameof(AlarmRuleConfig) }, { "/$defs/calibration", nameof(CalibrationConfig) },
    };

    [Theory]
    [MemberData(nameof(SchemaDefinitions))]
    public void Schema_and_config_model_have_the_same_keys(string location, string typeName)
    {
        JsonNode node = JsonNode.Parse(File.ReadAllText(Repository.FirmwareConfig("board.schema.json")))!;
        foreach (string part in location.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[part]!;
        }

        var schemaKeys = node["properties"]!.AsObject().Select(p => p.Key).Where(k => k != "type" || !typeName.EndsWith("Config", StringComparison.Ordinal) || typeName is nameof(SinkConfig)).Order(StringComparer.Ordinal);
        Assert.False(node["additionalProperties"]!.GetValue<bool>());
        Type type = typeof(BoardConfig).Assembly.GetTypes().Single(t => t.Name == typeName);
        JsonTypeInfo info = BoardConfigJsonContext.Default.GetTypeInfo(type)!;
        Assert.Equal(info.Properties.Select(p => p.Name).Order(StringComparer.Ordinal), schemaKeys);
    }
}
