using EdgeLstm.Core;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Onnx;

namespace EdgeLstm.Runtime.Tests.Onnx;

/// <summary>
/// The default build carries no ONNX Runtime; what it can check is the message and the metadata rules. Tested with
/// <c>dotnet test tests/EdgeLstm.Runtime.Tests -p:EdgeLstmOnnxRuntime=true</c>, the build carries it and runs the demo
/// board's .onnx model instead: each build compiles only the test that applies to it. CI runs a Native AOT build with
/// ONNX Runtime on that model.
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

#if !EDGELSTM_ONNXRUNTIME
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
#else
    [Fact]
    public void A_build_with_onnx_runtime_runs_the_demo_models_onnx_file()
    {
        Assert.True(OnnxModels.Available);
        var log = new StringWriter();
        using var stdout = new MemoryStream();
        int exit = RunCommand.Run(new RunOptions(null, Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-model.onnx"), null, null, OutputFormat.Text), stdout, log, default);
        string text = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
        Assert.True(exit == ExitCodes.Success, log.ToString());
        Assert.Contains("ONNX Runtime, Windowed", log.ToString());
        Assert.Contains("1139 predictions, 2 alarm changes", log.ToString());
        Assert.Contains("ALARM RAISED", text);
    }

    [Fact]
    public void A_build_with_onnx_runtime_refuses_a_graph_with_two_inputs_with_exit_2()
    {
        // two-inputs.onnx: the demo model with a second (unused) graph input, "extra_input".
        string model = Repository.Path("tests", "EdgeLstm.Runtime.Tests", "Onnx", "two-inputs.onnx");
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, ValidateCommand.Run(Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-board.json"), model, TextWriter.Null, error));
        Assert.Contains("two-inputs.onnx: the graph has 2 inputs (", error.ToString());
        Assert.Contains("extra_input", error.ToString());
        var log = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, RunCommand.Run(new RunOptions(null, model, null, null, OutputFormat.Text), Stream.Null, log, default));
        Assert.Contains("the graph has 2 inputs", log.ToString());
    }
#endif

    [Fact]
    public void Onnx_metadata_gives_channels_normalization_and_window()
    {
        ModelMetadata meta = OnnxModels.ParseMetadata(Windowed, 2, 2, "m.onnx");
        Assert.Equal(["Current", "Pressure"], meta.Channels.Select(c => c.Name));
        Assert.Equal(0.25f, meta.Channels[1].Std);
        Assert.Equal(ExecutionMode.Windowed, meta.Mode);
        Assert.Equal(16, meta.WindowLength);
        Assert.Equal(10f, meta.SampleRateHz);
    }

    [Theory]
    [InlineData("edgelstm.channels", null, "metadata 'edgelstm.channels' is missing")]
    [InlineData("edgelstm.mode", "streaming", "ONNX Runtime runs a .onnx model on whole windows")]
    [InlineData("edgelstm.mode", null, "ONNX Runtime runs a .onnx model on whole windows")]
    [InlineData("edgelstm.window", null, "metadata 'edgelstm.window' is missing")]
    // Bad values: the shared parser's wording (EdgeLstm.Core MetadataParser), prefixed with the file.
    [InlineData("edgelstm.window", "0", "metadata 'edgelstm.window' is '0': expected a whole number from 1 to 65536.")]
    [InlineData("edgelstm.channels", "Current,Pressure,Flow", "metadata 'edgelstm.channels' is 'Current,Pressure,Flow': 3 entries, but the model has 2 input channels.")]
    [InlineData("edgelstm.std", "1", "metadata 'edgelstm.std' is '1': 1 entry, but the model has 2 input channels.")]
    [InlineData("edgelstm.mean", "1,x", "metadata 'edgelstm.mean' is '1,x': entry 2 'x' is not a number.")]
    [InlineData("edgelstm.output_kind", "ranker", "metadata 'edgelstm.output_kind' is 'ranker': expected classifier, regressor or forecaster.")]
    [InlineData("edgelstm.sample_rate_hz", "ten", "metadata 'edgelstm.sample_rate_hz' is 'ten': expected the sample rate in Hz")]
    public void Bad_onnx_metadata_names_the_file_the_key_and_the_value(string key, string? value, string expected)
    {
        var props = new Dictionary<string, string>(Windowed);
        if (value is null) props.Remove(key); else props[key] = value;
        var e = Assert.Throws<OnnxModelException>(() => OnnxModels.ParseMetadata(props, 2, 2, "m.onnx"));
        Assert.StartsWith("m.onnx: " + expected, e.Message, StringComparison.Ordinal);
    }
}
