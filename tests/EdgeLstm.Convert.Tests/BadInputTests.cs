namespace EdgeLstm.Convert.Tests;

/// <summary>
/// Every kind of bad input ends with exit code 2 and one line on stderr that names the problem and where it is;
/// the stack trace appears only with --verbose.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Onnx(string name) => Path.Combine(FixturePaths.Fixtures, "onnx", name + ".onnx");

    private static string Torch(string name) => Path.Combine(FixturePaths.Torch(name), "model.onnx");

    private string Convert(string onnx, params string[] extra) =>
        AssertBadInput(CliHarness.Run(["convert", onnx, "-o", _cli.PathOf("out.elstm"), .. extra]));

    private static string AssertBadInput((int Code, string Out, string Err) run)
    {
        Assert.Equal(2, run.Code);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("   at ", run.Err);
        return line;
    }

    [Fact]
    public void Non_onnx_bytes()
    {
        string path = _cli.PathOf("notes.onnx");
        File.WriteAllText(path, "these are my notes about the pump, not a model\n");
        string error = Convert(path);
        Assert.Contains(path, error);
        Assert.Contains("ONNX", error);
    }

    [Fact]
    public void Truncated_protobuf()
    {
        byte[] bytes = File.ReadAllBytes(Torch("lstm2_regressor"));
        string path = _cli.PathOf("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        string error = Convert(path);
        Assert.Contains("truncated.onnx", error);
        Assert.Contains("truncated or corrupt", error);
    }

    [Fact]
    public void Empty_file()
    {
        string path = _cli.PathOf("empty.onnx");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", Convert(path));
    }

    [Fact]
    public void Missing_file() => Assert.Contains("file not found", Convert(_cli.PathOf("nope.onnx")));

    [Fact]
    public void No_recurrent_layer() => Assert.Contains("no LSTM or GRU node", Convert(Onnx("bad_no_recurrent")));

    [Fact]
    public void Unsupported_operator_names_node_op_and_reason()
    {
        string error = Convert(Onnx("bad_unsupported_op"));
        Assert.Contains("node 'head_leaky' (LeakyRelu)", error);
        Assert.Contains("not supported", error);
    }

    [Fact]
    public void Mismatched_head_shape_names_the_node()
    {
        string error = Convert(Onnx("bad_head_shape"));
        Assert.Contains("node 'head_gemm' (Gemm)", error);
        Assert.Contains("takes 7 inputs but receives 4", error);
    }

    [Fact]
    public void Recurrent_weights_that_do_not_match_hidden_size_name_the_node()
    {
        // lstm_strong_clip has hidden size 4; claiming 5 makes W and R the wrong shape.
        var model = EdgeLstm.Convert.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Onnx("lstm_strong_clip")));
        EdgeLstm.Convert.Onnx.Proto.NodeProto lstm = model.Graph.Node.Single(n => n.OpType == "LSTM");
        lstm.Name = "encoder";
        lstm.Attribute.Single(a => a.Name == "hidden_size").I = 5;
        string path = _cli.PathOf("wrong_hidden.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        string error = Convert(path);
        Assert.Contains("node 'encoder' (LSTM): W has shape [1, 16, 2]; expected [1, 20, 2]", error);
    }

    /// <summary>lstm1_classifier (which has every edgelstm.* key) with its metadata_props edited, saved as <paramref name="name"/>.</summary>
    private string WithMetadataProps(string name, Action<Google.Protobuf.Collections.RepeatedField<EdgeLstm.Convert.Onnx.Proto.StringStringEntryProto>> edit)
    {
        var model = EdgeLstm.Convert.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Torch("lstm1_classifier")));
        edit(model.MetadataProps);
        string path = _cli.PathOf(name);
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        return path;
    }

    [Fact]
    public void Metadata_props_value_that_cannot_be_used_names_the_file_the_key_and_the_value()
    {
        string path = WithMetadataProps("zero_std.onnx", props => props.Single(p => p.Key == "edgelstm.std").Value = "1,1,0,0.5,10");
        Assert.Equal($"error: {path}: metadata 'edgelstm.std' is '1,1,0,0.5,10': entry 3 '0' is not positive; a standard deviation must be > 0.", Convert(path));
    }

    [Fact]
    public void Metadata_props_key_given_twice_is_rejected()
    {
        string path = WithMetadataProps("twice.onnx", props => props.Add(new EdgeLstm.Convert.Onnx.Proto.StringStringEntryProto { Key = "edgelstm.name", Value = "pump-2" }));
        Assert.Contains("twice.onnx: metadata_props has 'edgelstm.name' twice ('pump-bearing' and 'pump-2'); keep one.", Convert(path));
        // Keys EdgeLstm does not read are not its business.
        path = WithMetadataProps("other.onnx", props => props.Add(new[] { "a", "b" }.Select(v => new EdgeLstm.Convert.Onnx.Proto.StringStringEntryProto { Key = "skab.note", Value = v })));
        Assert.Equal(0, CliHarness.Run("convert", path, "-o", _cli.PathOf("o.elstm")).Code);
    }

    [Fact]
    public void Csv_with_wrong_column_count_names_the_row()
    {
        string csv = _cli.PathOf("steps.csv");
        File.WriteAllLines(csv, ["a,b,c,d,e", "1,2,3,4,5", "1,2"]);
        string error = AssertBadInput(CliHarness.Run("predict", "-m", Torch("lstm1_classifier"), "-i", csv, "-o", _cli.PathOf("o.csv")));
        Assert.Contains("steps.csv: row 3 has 2 columns but the model takes 5 channels", error);
    }

    [Fact]
    public void Csv_with_non_numeric_cell_names_row_and_column()
    {
        string csv = _cli.PathOf("steps.csv");
        File.WriteAllLines(csv, ["1,2,3,4,5", "1,2,abc,4,5"]);
        string error = AssertBadInput(CliHarness.Run("predict", "-m", Torch("lstm1_classifier"), "-i", csv, "-o", _cli.PathOf("o.csv")));
        Assert.Contains("row 2, column 3: 'abc' is not a number", error);
    }

    [Fact]
    public void Csv_with_non_finite_value()
    {
        string csv = _cli.PathOf("steps.csv");
        File.WriteAllLines(csv, ["1,2,3,4", "1,NaN,3,4"]);
        string error = AssertBadInput(CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", _cli.PathOf("m.elstm"), "--validate", csv));
        Assert.Contains("row 2, column 2", error);
    }

    [Fact]
    public void Sidecar_with_wrong_channel_count()
    {
        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "channels": [ { "name": "only-one" } ] }""");
        Assert.Contains("'channels' lists 1 channels but the model takes 4", Convert(Torch("lstm2_regressor"), "--meta", meta));
    }

    [Fact]
    public void Sidecar_with_unknown_property_or_bad_json()
    {
        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "chanels": [] }""");
        Assert.Contains("invalid sidecar JSON", Convert(Torch("lstm2_regressor"), "--meta", meta));
        File.WriteAllText(meta, "{ \"name\": ");
        Assert.Contains("invalid sidecar JSON", Convert(Torch("lstm2_regressor"), "--meta", meta));
    }

    [Fact]
    public void Metadata_with_non_numeric_mean()
    {
        string meta = _cli.PathOf("meta.json");
        File.WriteAllText(meta, """{ "channels": [ { "name": "a", "std": -1 }, { "name": "b" }, { "name": "c" }, { "name": "d" } ] }""");
        Assert.Contains("std", Convert(Torch("lstm2_regressor"), "--meta", meta));
    }

    [Fact]
    public void Corrupt_elstm_for_info_and_verify()
    {
        string path = _cli.PathOf("bad.elstm");
        File.WriteAllText(path, "not a model");
        Assert.Contains("bad.elstm", AssertBadInput(CliHarness.Run("info", path)));
        Assert.Contains("bad.elstm", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), path)));
    }

    [Fact]
    public void Unknown_option_and_missing_argument()
    {
        AssertBadInput(CliHarness.Run("convert", Torch("lstm2_regressor"), "--frobnicate"));
        AssertBadInput(CliHarness.Run("convert", Torch("lstm2_regressor")));
        AssertBadInput(CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", _cli.PathOf("x.elstm"), "--precision", "int4"));
        string elstm = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm).Code);
        Assert.Contains("--tolerance", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--tolerance", "-1")));
        Assert.Contains("--min-agreement", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--min-agreement", "1.5")));
    }

    [Fact]
    public void Non_numeric_option_values_are_bad_arguments()
    {
        string elstm = _cli.PathOf("m.elstm");
        Assert.Equal(0, CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm).Code);
        // The range checks must leave text that is not a number to the parser's own message.
        Assert.Contains("--tolerance", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--tolerance", "abc")));
        Assert.Contains("--min-agreement", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--min-agreement", "most")));
        Assert.Contains("--steps", AssertBadInput(CliHarness.Run("verify", Torch("lstm2_regressor"), elstm, "--steps", "many")));
        Assert.Contains("--window", AssertBadInput(CliHarness.Run("convert", Torch("lstm2_regressor"), "-o", elstm, "--window", "eight")));
    }

    [Fact]
    public void Verify_of_a_graph_onnx_runtime_cannot_run_is_bad_input()
    {
        // ORT's CPU LSTM rejects layout=1; the converter reads it, but there is nothing to compare against.
        string onnx = Onnx("lstm_peephole_clip_layout1"), elstm = _cli.PathOf("l1.elstm");
        Assert.Equal(0, CliHarness.Run("convert", onnx, "-o", elstm).Code);
        string error = AssertBadInput(CliHarness.Run("verify", onnx, elstm));
        Assert.Contains("ONNX Runtime cannot load the model", error);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var (code, _, stderr) = CliHarness.Run("convert", Onnx("bad_no_recurrent"), "-o", _cli.PathOf("o.elstm"), "--verbose");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("   at ", stderr);
    }
}
