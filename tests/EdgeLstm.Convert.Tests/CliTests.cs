using System.Globalization;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Tests;

/// <summary>The commands end to end, invoked in-process: outputs, files and exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly CliHarness _cli = new();

    private static string Torch(string name) => Path.Combine(FixturePaths.Torch(name), "model.onnx");

    private static string Onnx(string name) => Path.Combine(FixturePaths.Fixtures, "onnx", name + ".onnx");

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("int8", ModelPrecision.Int8)]
    [InlineData("float32", ModelPrecision.Float32)]
    public void Convert_writes_a_loadable_model_in_the_requested_precision(string precision, ModelPrecision expected)
    {
        string output = _cli.PathOf("m.elstm");
        var (code, stdout, stderr) = CliHarness.Run("convert", Torch("lstm3_mlp_head"), "-o", output, "--precision", precision);
        Assert.True(code == 0, stderr);
        RecurrentModel model = ModelFile.Load(output);
        Assert.Equal(expected, model.Precision);
        Assert.Equal(3, model.Layers.Count);
        Assert.Equal(2, model.Head.Count);
        Assert.Contains(ModelFile.ComputeModelId(File.ReadAllBytes(output)), stdout);
        Assert.Contains("no metadata given", stdout);
    }

    [Fact]
    public void Convert_then_verify_passes_and_writes_a_report_with_a_png()
    {
        string elstm = _cli.PathOf("m.elstm"), report = _cli.PathOf("report.md");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm1_classifier"), "-o", elstm).Code);
        var (code, stdout, stderr) = CliHarness.Run("verify", Torch("lstm1_classifier"), elstm, "--report", report);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("verification passed", stdout);
        Assert.Contains("top-1 agreement", stdout);
        string markdown = File.ReadAllText(report);
        Assert.Contains("PASSED", markdown);
        Assert.Contains("| normal |", markdown);
        byte[] png = File.ReadAllBytes(Path.ChangeExtension(report, ".png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 5000, "the plot is suspiciously small");
    }

    [Fact]
    public void Verify_windowed_bidirectional_model_on_user_data()
    {
        string elstm = _cli.PathOf("bi.elstm"), data = _cli.PathOf("data.csv");
        Assert.Equal(0, CliHarness.Run("convert", Torch("bigru2_classifier"), "-o", elstm, "--precision", "float32").Code);
        WriteCsv(data, "a,b,c,d", 40, 4, seed: 3);
        var (code, stdout, stderr) = CliHarness.Run("verify", Torch("bigru2_classifier"), elstm, "--data", data);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("per window of 16", stdout);
    }

    [Fact]
    public void Verify_exits_1_when_the_error_exceeds_the_tolerance()
    {
        string elstm = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("gru1_regressor"), "-o", elstm).Code);
        var (code, stdout, _) = CliHarness.Run("verify", Torch("gru1_regressor"), elstm, "--tolerance", "0");
        Assert.Equal(1, code);
        Assert.Contains("FAILED", stdout);
    }

    [Fact]
    public void Verify_exits_1_for_a_different_model_of_the_same_shape()
    {
        // Both take 3 channels and produce 2 outputs, streaming; their weights differ.
        string elstm = _cli.PathOf("other.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Onnx("lstm_peephole_clip_layout0"), "-o", elstm, "--precision", "float32").Code);
        var (code, stdout, _) = CliHarness.Run("verify", Torch("lstm2_final_state"), elstm);
        Assert.Equal(1, code);
        Assert.Contains("FAILED", stdout);
    }

    [Fact]
    public void Verify_exits_2_when_the_models_have_different_shapes()
    {
        string elstm = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("gru1_regressor"), "-o", elstm).Code);
        var (code, _, stderr) = CliHarness.Run("verify", Torch("lstm1_classifier"), elstm);
        Assert.Equal(2, code);
        Assert.Contains("not the same model", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Predict_elstm_and_onnx_agree_with_torch_per_step()
    {
        string fixture = FixturePaths.Torch("lstm1_classifier");
        string elstm = _cli.PathOf("m.elstm"), input = _cli.PathOf("steps.csv");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm1_classifier"), "-o", elstm, "--precision", "float32").Code);
        var reference = ReferenceData.Load(Path.Combine(fixture, "input.csv"));
        float[] x = reference.Sequence(0);
        File.WriteAllLines(input, ["vib_x,vib_y,vib_z,current,temp", .. x.Chunk(5).Select(r => string.Join(',', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        var expected = ReferenceData.Load(Path.Combine(fixture, "expected.csv")).Of(0).ToArray();
        foreach (string model in new[] { elstm, Torch("lstm1_classifier") })
        {
            string output = _cli.PathOf(Path.GetFileName(model) + ".out.csv");
            var (code, _, stderr) = CliHarness.Run("predict", "--model", model, "--input", input, "--output", output);
            Assert.True(code == 0, stderr);
            string[] lines = File.ReadAllLines(output);
            Assert.Equal("normal,imbalance,wear", lines[0]);
            Assert.Equal(expected.Length, lines.Length - 1);
            for (int t = 0; t < expected.Length; t++)
            {
                float[] row = [.. lines[t + 1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
                for (int k = 0; k < row.Length; k++) Assert.True(Math.Abs(row[k] - expected[t].Values[k]) <= 1e-4f, $"{model} step {t} output {k}");
            }
        }
    }

    [Fact]
    public void Predict_matches_columns_by_header_name_and_normalizes_raw_values()
    {
        // lstm1_classifier's channels: vib_x, vib_y, vib_z, current, temp; mean 0.1,0.2,0.3,4.5,40; std 1,1,1,0.5,10.
        float[] mean = [0.1f, 0.2f, 0.3f, 4.5f, 40f], std = [1f, 1f, 1f, 0.5f, 10f];
        string[] names = ["vib_x", "vib_y", "vib_z", "current", "temp"];
        int[] shuffled = [3, 0, 4, 2, 1];
        float[] x = ReferenceData.Load(Path.Combine(FixturePaths.Torch("lstm1_classifier"), "input.csv")).Sequence(1);
        string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        string plain = _cli.PathOf("plain.csv"), raw = _cli.PathOf("raw.csv");
        File.WriteAllLines(plain, [string.Join(',', names), .. x.Chunk(5).Select(r => string.Join(',', r.Select(F)))]);
        File.WriteAllLines(raw, [string.Join(',', shuffled.Select(i => names[i])),
            .. x.Chunk(5).Select(r => string.Join(',', shuffled.Select(i => F(r[i] * std[i] + mean[i]))))]);
        Assert.Equal(0, CliHarness.Run("predict", "-m", Torch("lstm1_classifier"), "-i", plain, "-o", _cli.PathOf("a.csv")).Code);
        Assert.Equal(0, CliHarness.Run("predict", "-m", Torch("lstm1_classifier"), "-i", raw, "-o", _cli.PathOf("b.csv"), "--raw").Code);
        float[][] a = ReadOutputs(_cli.PathOf("a.csv")), b = ReadOutputs(_cli.PathOf("b.csv"));
        Assert.Equal(a.Length, b.Length);
        for (int t = 0; t < a.Length; t++)
            for (int k = 0; k < a[t].Length; k++) Assert.True(Math.Abs(a[t][k] - b[t][k]) <= 1e-5f, $"step {t} output {k}");
        // Without --raw the raw file gives different predictions, so the check above can fail.
        Assert.Equal(0, CliHarness.Run("predict", "-m", Torch("lstm1_classifier"), "-i", raw, "-o", _cli.PathOf("c.csv")).Code);
        Assert.NotEqual(a[^1][0], ReadOutputs(_cli.PathOf("c.csv"))[^1][0]);
    }

    [Fact]
    public void Predict_and_verify_read_a_real_sensor_log_by_column_name()
    {
        // A SKAB log has a timestamp, eight sensor columns and two label columns; the model uses four of them.
        string[] names = ["Current", "Pressure", "Accelerometer1RMS", "Temperature"];
        float[] mean = [1.3f, 0.2f, 0.026f, 79f], std = [0.05f, 0.3f, 0.001f, 0.5f];
        string meta = _cli.PathOf("meta.json"), elstm = _cli.PathOf("skab.elstm");
        File.WriteAllText(meta, "{ \"channels\": [" + string.Join(",", names.Select((n, i) =>
            $"{{ \"name\": \"{n}\", \"mean\": {mean[i].ToString(CultureInfo.InvariantCulture)}, \"std\": {std[i].ToString(CultureInfo.InvariantCulture)} }}")) + "] }");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm, "--precision", "float32", "--meta", meta).Code);
        string log = Path.Combine(FixturePaths.Fixtures, "skab", "valve1_0_first20.csv");
        var (code, _, stderr) = CliHarness.Run("predict", "-m", elstm, "-i", log, "-o", _cli.PathOf("skab.out.csv"), "--raw");
        Assert.True(code == 0, stderr);

        // The same values picked and normalized by hand, in a plain CSV, must give the same predictions.
        string[] lines = File.ReadAllLines(log);
        string[] header = lines[0].Split(';');
        int[] columns = [.. names.Select(n => Array.IndexOf(header, n))];
        string plain = _cli.PathOf("plain.csv");
        File.WriteAllLines(plain, lines.Skip(1).Select(line =>
        {
            string[] cells = line.Split(';');
            return string.Join(',', columns.Select((c, i) =>
                ((float.Parse(cells[c], CultureInfo.InvariantCulture) - mean[i]) / std[i]).ToString("R", CultureInfo.InvariantCulture)));
        }));
        Assert.Equal(0, CliHarness.Run("predict", "-m", elstm, "-i", plain, "-o", _cli.PathOf("plain.out.csv")).Code);
        float[][] a = ReadOutputs(_cli.PathOf("skab.out.csv")), b = ReadOutputs(_cli.PathOf("plain.out.csv"));
        Assert.Equal(20, a.Length);
        for (int t = 0; t < a.Length; t++)
            for (int k = 0; k < a[t].Length; k++) Assert.True(Math.Abs(a[t][k] - b[t][k]) <= 1e-5f, $"step {t} output {k}");

        var (verifyCode, verifyOut, verifyErr) = CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--data", log, "--raw");
        Assert.True(verifyCode == 0, verifyOut + verifyErr);
    }

    private static float[][] ReadOutputs(string path) =>
        [.. File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    [Fact]
    public void Predict_bidirectional_model_writes_one_row()
    {
        string input = _cli.PathOf("steps.csv"), output = _cli.PathOf("out.csv");
        WriteCsv(input, null, 12, 3, seed: 5);
        var (code, _, stderr) = CliHarness.Run("predict", "-m", Torch("bilstm2"), "-i", input, "-o", output);
        Assert.True(code == 0, stderr);
        Assert.Equal(2, File.ReadAllLines(output).Length);
    }

    [Fact]
    public void Info_describes_layers_metadata_and_id()
    {
        string elstm = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm1_classifier"), "-o", elstm).Code);
        var (code, stdout, _) = CliHarness.Run("info", elstm);
        Assert.Equal(0, code);
        Assert.Contains(ModelFile.ComputeModelId(File.ReadAllBytes(elstm)), stdout);
        Assert.Contains("pump-bearing", stdout);
        Assert.Contains("current", stdout);
        Assert.Contains("Int8", stdout);
        Assert.Contains("Lstm(5->12)", stdout);
        string plain = _cli.PathOf("plain.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", plain).Code);
        var (_, plainInfo, _) = CliHarness.Run("info", plain);
        Assert.Contains("none given", plainInfo);
        Assert.Contains("x3", plainInfo);
    }

    [Fact]
    public void Convert_with_validate_checks_the_csv()
    {
        string elstm = _cli.PathOf("m.elstm"), data = _cli.PathOf("d.csv");
        WriteCsv(data, null, 30, 4, seed: 9);
        var (code, stdout, stderr) = CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm, "--validate", data);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("verification passed", stdout);
    }

    [Fact]
    public void Convert_with_sidecar_sets_the_metadata()
    {
        string elstm = _cli.PathOf("m.elstm"), meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """
            { "name": "valve-7", "channels": [ {"name": "p", "unit": "bar", "mean": 2, "std": 0.5}, {"name": "q"}, {"name": "r"}, {"name": "s"} ],
              "outputs": ["flow", "leak"], "outputKind": "forecaster" }
            """);
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm, "--meta", meta).Code);
        ModelMetadata m = ModelFile.Load(elstm).Metadata;
        Assert.Equal("valve-7", m.Name);
        Assert.Equal(new ChannelInfo("p", "bar", 2, 0.5f), m.Channels[0]);
        Assert.Equal(["flow", "leak"], m.OutputNames);
        Assert.Equal(OutputKind.Forecaster, m.OutputKind);
        Assert.False(m.IsDefault);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, stdout, _) = CliHarness.Run("--help");
        Assert.Equal(0, code);
        foreach (string command in new[] { "convert", "verify", "predict", "info" }) Assert.Contains(command, stdout);
        var (convertCode, convertHelp, _) = CliHarness.Run("convert", "--help");
        Assert.Equal(0, convertCode);
        Assert.Contains("--precision", convertHelp);
    }

    internal static void WriteCsv(string path, string? header, int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        if (header is not null) lines.Add(header);
        for (int r = 0; r < rows; r++)
            lines.Add(string.Join(',', Enumerable.Range(0, columns).Select(_ => (random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllLines(path, lines);
    }
}
