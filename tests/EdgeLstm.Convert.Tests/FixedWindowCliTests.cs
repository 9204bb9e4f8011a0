using System.Globalization;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Google.Protobuf;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// Models whose ONNX input fixes the time dimension (tf2onnx's Keras exports): convert takes the window from the
/// graph and says so, verify and predict give ONNX Runtime windows of that length only, and metadata that asks for
/// something else is an error naming both.
/// </summary>
public sealed class FixedWindowCliTests : IDisposable
{
    private const string Stacked = "keras_lstm2_stacked";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Onnx(string name) => KerasFixtureTests.Onnx(name);

    /// <summary>The fixture's input windows one after the other, as a plain CSV (no seq/t columns).</summary>
    private string InputCsv(string name)
    {
        var inputs = ReferenceData.Load(Path.Combine(KerasFixtureTests.Folder(name), "input.csv"));
        string path = _cli.PathOf(name + ".steps.csv");
        File.WriteAllLines(path, inputs.Rows.Select(r => string.Join(',', r.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        return path;
    }

    /// <summary>A copy of a fixture with edits to its ONNX proto.</summary>
    private string Edited(string name, string file, Action<ModelProto> edit)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Onnx(name)));
        edit(model);
        string path = _cli.PathOf(file);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static void DynamicTime(ModelProto model) =>
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1] = new TensorShapeProto.Types.Dimension { DimParam = "time" };

    private static void SetProp(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    private static float[][] ReadOutputs(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    private static string BadInput((int Code, string Out, string Err) run)
    {
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Out}{run.Err}");
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        return line;
    }

    [Theory]
    [MemberData(nameof(KerasFixtureTests.Fixtures), MemberType = typeof(KerasFixtureTests))]
    public void Convert_takes_the_window_from_the_graph_and_verify_passes(string name, int window)
    {
        string elstm = _cli.PathOf(name + ".elstm");
        var (code, stdout, stderr) = CliHarness.Run("convert", Onnx(name), "-o", elstm);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"execution: windowed, window {window} (from the graph's input shape: input '", stdout);
        ModelMetadata meta = ModelFile.Load(elstm).Metadata;
        Assert.Equal((ExecutionMode.Windowed, window, 1), (meta.Mode, meta.WindowLength, meta.Stride));

        // Random data (ten windows), then the fixture's own windows back to back.
        (code, stdout, stderr) = CliHarness.Run("verify", Onnx(name), elstm);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"one prediction per window of {window} steps, stride 1", stdout);
        Assert.Contains("verification passed", stdout);
        (code, stdout, stderr) = CliHarness.Run("verify", Onnx(name), elstm, "--data", InputCsv(name));
        Assert.True(code == 0, stdout + stderr);
    }

    [Fact]
    public void Info_on_the_onnx_file_says_where_the_window_comes_from()
    {
        var (code, stdout, stderr) = CliHarness.Run("info", Onnx(Stacked));
        Assert.True(code == 0, stderr);
        Assert.Contains("input 'lstm_input' [unk__", stdout);
        Assert.Contains("fixed at 8 steps", stdout);
        string flat = string.Join(' ', stdout.Split('\n').Select(l => l.Trim(' ', '│')));
        Assert.Contains("windowed, window 8 (from the graph's input shape", flat);
        Assert.Contains("Lstm(16->10)", stdout);
        // A graph that takes any length streams, and info says so.
        (code, stdout, _) = CliHarness.Run("info", Edited(Stacked, "dynamic.onnx", DynamicTime));
        Assert.Equal(0, code);
        Assert.Contains("any length", stdout);
        Assert.Contains("streaming (state carried)", stdout);
    }

    [Fact]
    public void Predict_on_the_onnx_and_the_elstm_gives_the_same_windows()
    {
        string elstm = _cli.PathOf("m.elstm"), input = InputCsv(Stacked);
        Assert.Equal(0, CliHarness.Run("convert", Onnx(Stacked), "-o", elstm, "--precision", "float32").Code);
        string fromOnnx = _cli.PathOf("onnx.csv"), fromElstm = _cli.PathOf("elstm.csv");
        var (code, stdout, stderr) = CliHarness.Run("predict", "-m", Onnx(Stacked), "-i", input, "-o", fromOnnx);
        Assert.True(code == 0, stderr);
        Assert.Contains("25 rows of 4 outputs from 32 steps, one prediction per window of 8 steps", stdout);
        Assert.Equal(0, CliHarness.Run("predict", "-m", elstm, "-i", input, "-o", fromElstm).Code);
        float[][] a = ReadOutputs(fromOnnx), b = ReadOutputs(fromElstm);
        Assert.Equal(32 - 8 + 1, a.Length);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            for (int k = 0; k < a[i].Length; k++) Assert.True(Math.Abs(a[i][k] - b[i][k]) <= 1e-5f, $"window {i} output {k}");
        // Row 0 is the fixture's first window: the Keras equations' output.
        float[] keras = ReferenceData.Load(Path.Combine(KerasFixtureTests.Folder(Stacked), "expected.csv")).Rows[0].Values;
        for (int k = 0; k < keras.Length; k++) Assert.True(Math.Abs(a[0][k] - keras[k]) <= 1e-5f, $"output {k}");
    }

    [Fact]
    public void Verify_and_predict_need_at_least_one_window_of_data()
    {
        string elstm = _cli.PathOf("m.elstm"), shortCsv = _cli.PathOf("short.csv");
        Assert.Equal(0, CliHarness.Run("convert", Onnx(Stacked), "-o", elstm).Code);
        File.WriteAllLines(shortCsv, File.ReadAllLines(InputCsv(Stacked)).Take(5));
        string error = BadInput(CliHarness.Run("verify", Onnx(Stacked), elstm, "--data", shortCsv));
        Assert.Contains("short.csv: 5 steps are fewer than one window", error);
        Assert.Contains("fixes the time dimension at 8 steps", error);
        Assert.Contains("--steps", BadInput(CliHarness.Run("verify", Onnx(Stacked), elstm, "--steps", "7")));
        Assert.Contains("fewer than one window", BadInput(CliHarness.Run("predict", "-m", Onnx(Stacked), "-i", shortCsv, "-o", _cli.PathOf("o.csv"))));
    }

    [Fact]
    public void Verify_compares_a_streaming_elstm_on_the_graphs_windows()
    {
        // The same weights converted from a copy whose time dimension is dynamic: a streaming model.
        string dynamic = Edited(Stacked, "dynamic.onnx", DynamicTime), elstm = _cli.PathOf("stream.elstm");
        var (code, stdout, stderr) = CliHarness.Run("convert", dynamic, "-o", elstm, "--precision", "float32");
        Assert.True(code == 0, stderr);
        Assert.Contains("execution: streaming", stdout);
        (code, stdout, stderr) = CliHarness.Run("verify", Onnx(Stacked), elstm);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("the .elstm model streams", string.Join(' ', stdout.Split('\n').Select(l => l.Trim(' ', '│'))));
        // On the dynamic graph the same pair is compared after every step.
        (code, stdout, _) = CliHarness.Run("verify", dynamic, elstm);
        Assert.Equal(0, code);
        Assert.Contains("one prediction per step", stdout);
    }

    [Fact]
    public void Verify_refuses_an_elstm_that_runs_other_windows()
    {
        string dynamic = Edited(Stacked, "dynamic.onnx", DynamicTime), elstm = _cli.PathOf("w5.elstm"), meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "mode": "windowed", "window": 5 }""");
        Assert.Equal(0, CliHarness.Run("convert", dynamic, "-o", elstm, "--meta", meta).Code);
        string error = BadInput(CliHarness.Run("verify", Onnx(Stacked), elstm));
        Assert.Contains("w5.elstm: the model runs on windows of 5 steps", error);
        Assert.Contains("input 'lstm_input' [unk__", error);
        Assert.Contains("fixes the time dimension at 8 steps", error);
    }

    [Fact]
    public void Sidecar_asking_for_streaming_or_another_window_is_an_error_naming_both()
    {
        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "mode": "streaming" }""");
        string error = BadInput(CliHarness.Run("convert", Onnx(Stacked), "-o", _cli.PathOf("o.elstm"), "--meta", meta));
        Assert.Contains("input 'lstm_input' [unk__", error);
        Assert.Contains("fixes the time dimension at 8 steps", error);
        Assert.Contains($"{meta} 'mode' asks for 'streaming'", error);

        File.WriteAllText(meta, """{ "window": 16 }""");
        error = BadInput(CliHarness.Run("convert", Onnx(Stacked), "-o", _cli.PathOf("o.elstm"), "--meta", meta));
        Assert.Contains("fixes the time dimension at 8 steps", error);
        Assert.Contains($"{meta} 'window' asks for windows of 16", error);

        // Agreeing with the graph is fine, and the stride is the sidecar's.
        File.WriteAllText(meta, """{ "mode": "windowed", "window": 8, "stride": 4 }""");
        Assert.Equal(0, CliHarness.Run("convert", Onnx(Stacked), "-o", _cli.PathOf("ok.elstm"), "--meta", meta).Code);
        Assert.Equal((8, 4), (ModelFile.Load(_cli.PathOf("ok.elstm")).Metadata.WindowLength, ModelFile.Load(_cli.PathOf("ok.elstm")).Metadata.Stride));
    }

    [Fact]
    public void Metadata_props_asking_for_streaming_or_another_window_is_an_error_naming_both()
    {
        string streaming = Edited(Stacked, "streaming.onnx", m => SetProp(m, MetadataKeys.Mode, "streaming"));
        string error = BadInput(CliHarness.Run("convert", streaming, "-o", _cli.PathOf("o.elstm")));
        Assert.Contains("streaming.onnx: input 'lstm_input' [unk__", error);
        Assert.Contains("metadata_props 'edgelstm.mode' asks for 'streaming'", error);
        // predict on the .onnx reads the same metadata, so it fails the same way rather than scoring prefixes.
        Assert.Contains("asks for 'streaming'", BadInput(CliHarness.Run("predict", "-m", streaming, "-i", InputCsv(Stacked), "-o", _cli.PathOf("p.csv"))));

        string window = Edited(Stacked, "window12.onnx", m => SetProp(m, MetadataKeys.Window, "12"));
        error = BadInput(CliHarness.Run("convert", window, "-o", _cli.PathOf("o.elstm")));
        Assert.Contains("fixes the time dimension at 8 steps, but metadata_props 'edgelstm.window' asks for windows of 12", error);
    }

    [Fact]
    public void Window_option_must_agree_with_the_graph()
    {
        string error = BadInput(CliHarness.Run("convert", Onnx(Stacked), "-o", _cli.PathOf("o.elstm"), "--window", "16"));
        Assert.Contains("fixes the time dimension at 8 steps, but --window asks for windows of 16", error);
        Assert.Equal(0, CliHarness.Run("convert", Onnx(Stacked), "-o", _cli.PathOf("ok.elstm"), "--window", "8").Code);
    }
}
