using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Google.Protobuf;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// <c>convert --window N</c>: the window of a windowed or bidirectional model without a sidecar; it wins over the
/// sidecar and metadata_props (with a note), and contradicting mode 'streaming' is an error.
/// </summary>
public sealed class WindowOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Torch(string name) => Path.Combine(FixturePaths.Torch(name), "model.onnx");

    /// <summary>bilstm2 (metadata_props: windowed, window 16, stride 4) without any metadata_props.</summary>
    private string BidirectionalWithoutMetadata()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Torch("bilstm2")));
        model.MetadataProps.Clear();
        string path = _cli.PathOf("bilstm2_plain.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private (int Code, string Out, string Err) Convert(string onnx, string output, params string[] extra) =>
        CliHarness.Run(["convert", onnx, "-o", _cli.PathOf(output), "--precision", "float32", .. extra]);

    private ModelMetadata Metadata(string output) => ModelFile.Load(_cli.PathOf(output)).Metadata;

    [Fact]
    public void Sets_the_window_of_a_bidirectional_model_without_a_sidecar()
    {
        string onnx = BidirectionalWithoutMetadata();
        var (code, _, stderr) = Convert(onnx, "none.elstm");
        Assert.Equal(2, code);
        Assert.Contains("no window length is given; pass --window", stderr);

        var (okCode, stdout, okErr) = Convert(onnx, "w20.elstm", "--window", "20");
        Assert.True(okCode == 0, okErr);
        Assert.Contains("execution: windowed, window 20 (from --window), stride 1", stdout);
        ModelMetadata meta = Metadata("w20.elstm");
        Assert.Equal((ExecutionMode.Windowed, 20, 1), (meta.Mode, meta.WindowLength, meta.Stride));
        // The board's scheme follows: verify compares windows of 20.
        var (verifyCode, verifyOut, verifyErr) = CliHarness.Run("verify", onnx, _cli.PathOf("w20.elstm"));
        Assert.True(verifyCode == 0, verifyOut + verifyErr);
        Assert.Contains("one prediction per window of 20 steps, stride 1", verifyOut);
    }

    [Fact]
    public void Overrides_metadata_props_and_the_sidecar_with_a_note()
    {
        var (code, stdout, stderr) = Convert(Torch("bilstm2"), "props.elstm", "--window", "24");
        Assert.True(code == 0, stderr);
        Assert.Contains("note: --window 24 overrides the window of 16 in metadata_props 'edgelstm.window'", stdout);
        Assert.Equal((24, 4), (Metadata("props.elstm").WindowLength, Metadata("props.elstm").Stride));

        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "window": 32, "stride": 2 }""");
        (code, stdout, stderr) = Convert(Torch("bilstm2"), "sidecar.elstm", "--meta", meta, "--window", "12");
        Assert.True(code == 0, stderr);
        Assert.Contains($"note: --window 12 overrides the window of 32 in {meta} 'window'", stdout);
        Assert.Contains("note: --window 12 overrides the window of 16 in metadata_props 'edgelstm.window'", stdout);
        Assert.Equal((12, 2), (Metadata("sidecar.elstm").WindowLength, Metadata("sidecar.elstm").Stride));

        // Without --window the sidecar wins over metadata_props, as before, and nothing is noted.
        (code, stdout, _) = Convert(Torch("bilstm2"), "plain.elstm", "--meta", meta);
        Assert.Equal(0, code);
        Assert.Equal(32, Metadata("plain.elstm").WindowLength);
        Assert.DoesNotContain("overrides", stdout);
        // The same value is no override.
        (_, stdout, _) = Convert(Torch("bilstm2"), "same.elstm", "--window", "16");
        Assert.DoesNotContain("overrides", stdout);
    }

    [Fact]
    public void Makes_a_forward_model_windowed()
    {
        var (code, stdout, stderr) = Convert(Torch("lstm2_regressor"), "w.elstm", "--window", "12");
        Assert.True(code == 0, stderr);
        Assert.Contains("windowed, window 12 (from --window)", stdout);
        Assert.Equal(ExecutionMode.Windowed, Metadata("w.elstm").Mode);
        // Without the option the same model streams.
        (_, stdout, _) = Convert(Torch("lstm2_regressor"), "s.elstm");
        Assert.Contains("execution: streaming (state carried)", stdout);
        Assert.Equal(ExecutionMode.Streaming, Metadata("s.elstm").Mode);
    }

    [Fact]
    public void Contradicting_mode_streaming_is_an_error_naming_both()
    {
        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "mode": "streaming" }""");
        var (code, _, stderr) = Convert(Torch("lstm2_regressor"), "x.elstm", "--meta", meta, "--window", "12");
        Assert.Equal(2, code);
        Assert.Contains("--window 12 runs the model on windows of 12 steps", stderr);
        Assert.Contains($"{meta} 'mode' sets mode 'streaming'", stderr);
        // A sidecar that says windowed is fine beside it.
        File.WriteAllText(meta, """{ "mode": "windowed" }""");
        Assert.Equal(0, Convert(Torch("lstm2_regressor"), "y.elstm", "--meta", meta, "--window", "12").Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1000001")]
    [InlineData("eight")]
    public void Out_of_range_values_are_bad_arguments(string value)
    {
        var (code, _, stderr) = Convert(Torch("bilstm2"), "x.elstm", "--window", value);
        Assert.Equal(2, code);
        Assert.Contains("--window", stderr);
        Assert.False(File.Exists(_cli.PathOf("x.elstm")));
    }

    [Fact]
    public void Help_describes_the_option()
    {
        var (code, stdout, _) = CliHarness.Run("convert", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--window", stdout);
        Assert.Contains("Overrides the sidecar's and metadata_props' window", string.Join(' ', stdout.Split('\n').Select(l => l.Trim())));
    }
}
