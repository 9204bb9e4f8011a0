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
}
