using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Onnx;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>
/// The default build carries no ONNX Runtime; what it can check is the message and the metadata rules. CI runs a
/// build with ONNX Runtime (EdgeLstmOnnxRuntime=true) on the demo board's .onnx model.
/// </summary>
public class OnnxBackendTests
{
    private static readonly Dictionary<string, string> Windowed = new()
    {
        [MetadataKeys.Channels] = "Current, Pressure",
        [MetadataKeys.Units] = "A,bar",
        [MetadataKeys.Mean] = "1,2",
        [MetadataKeys.Std] = "0.5,0.25",
        [MetadataKeys.Outputs] = "Current,Pressure",
        [MetadataKeys.OutputKind] = "regressor",
        [MetadataKeys.Mode] = "windowed",
        [MetadataKeys.Window] = "16",
        [MetadataKeys.SampleRate] = "10",
    };

    [Fact]
    public void The_default_build_says_how_to_run_an_onnx_model()
    {
        Assert.False(OnnxModels.Available);
        using var board = new TestBoard();
        string onnx = Path.Combine(board.Directory, "model.onnx");
        File.WriteAllBytes(onnx, [8, 7]);
        var log = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, RunCommand.Run(new RunOptions(board.ConfigPath, onnx, TimeSpan.FromSeconds(1), null, OutputFormat.Text), Stream.Null, log, default));
        Assert.Contains("built without ONNX Runtime", log.ToString());
        Assert.Contains("-WithOnnxRuntime", log.ToString());
    }

    [Fact]
    public void Onnx_metadata_gives_channels_normalization_and_window()
    {
        ModelMetadata meta = OnnxModels.ParseMetadata(Windowed, 2, "m.onnx");
        Assert.Equal(["Current", "Pressure"], meta.Channels.Select(c => c.Name));
        Assert.Equal(0.25f, meta.Channels[1].Std);
        Assert.Equal(ExecutionMode.Windowed, meta.Mode);
        Assert.Equal(16, meta.WindowLength);
        Assert.Equal(10f, meta.SampleRateHz);
    }

    [Theory]
    [InlineData("edgelstm.channels", null, "'edgelstm.channels' is missing")]
    [InlineData("edgelstm.mode", "streaming", "on whole windows")]
    [InlineData("edgelstm.window", "0", "positive whole number")]
    [InlineData("edgelstm.std", "1", "lists 1 entries; expected 2")]
    [InlineData("edgelstm.mean", "1,x", "entry 2 'x' is not a number")]
    [InlineData("edgelstm.output_kind", "ranker", "expected classifier, regressor or forecaster")]
    public void Bad_onnx_metadata_names_the_key(string key, string? value, string expected)
    {
        var props = new Dictionary<string, string>(Windowed);
        if (value is null) props.Remove(key); else props[key] = value;
        var e = Assert.Throws<OnnxModelException>(() => OnnxModels.ParseMetadata(props, 2, "m.onnx"));
        Assert.StartsWith("m.onnx: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
