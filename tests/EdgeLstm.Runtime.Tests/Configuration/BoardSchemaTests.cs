using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;

namespace EdgeLstm.Runtime.Tests.Configuration;

/// <summary>firmware-config/board.schema.json and the config types of both projects that own sections of a board file agree key for key.</summary>
public class BoardSchemaTests
{
    public static TheoryData<string, string> SchemaDefinitions() => new()
    {
        { "", nameof(BoardConfig) }, { "/properties/board", nameof(BoardInfo) }, { "/properties/sampler", nameof(SamplerConfig) },
        { "/properties/alarm", nameof(AlarmConfig) }, { "/properties/model", nameof(ModelConfig) }, { "/properties/decision", nameof(DecisionConfig) },
        { "/properties/health", nameof(HealthConfig) }, { "/properties/journal", nameof(JournalConfig) }, { "/$defs/sink", nameof(SinkConfig) }, { "/$defs/signal", nameof(SignalConfig) },
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
        Assert.Equal(KeysOf(typeName).Order(StringComparer.Ordinal), schemaKeys);
    }

    /// <summary>The JSON keys of a config type; the file's root has the sensor sections' keys and the runtime's.</summary>
    private static IEnumerable<string> KeysOf(string typeName)
    {
        if (typeName == nameof(BoardConfig))
        {
            return [.. Properties(BoardConfigJsonContext.Default.BoardConfig), .. Properties(RuntimeSectionsJsonContext.Default.RuntimeSections)];
        }

        Type? runtimeType = typeof(RuntimeSections).Assembly.GetTypes().SingleOrDefault(t => t.Name == typeName);
        return runtimeType is not null
            ? Properties(RuntimeSectionsJsonContext.Default.GetTypeInfo(runtimeType)!)
            : Properties(BoardConfigJsonContext.Default.GetTypeInfo(typeof(BoardConfig).Assembly.GetTypes().Single(t => t.Name == typeName))!);
    }

    private static IEnumerable<string> Properties(JsonTypeInfo info) => info.Properties.Select(p => p.Name);
}
