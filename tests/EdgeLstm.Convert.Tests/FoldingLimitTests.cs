using EdgeLstm.Convert.Cli;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core;
using Google.Protobuf;

namespace EdgeLstm.Convert.Tests;

/// <summary>Constant folding is lazy and bounded, and the command line's last-resort handler ends with a documented code.</summary>
public sealed class FoldingLimitTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A torch fixture with a Gather nothing uses: a 64 Ki-float row gathered 50,000 times would be 13 GB.</summary>
    private string WithHugeGather(bool used)
    {
        ModelProto model = OnnxFile.Load(Path.Combine(FixturePaths.Torch("lstm1_classifier"), "model.onnx"));
        model.Graph.Initializer.Add(new TensorProto { Name = "huge_data", DataType = 1, Dims = { 1, 65_536 }, RawData = ByteString.CopyFrom(new byte[65_536 * 4]) });
        model.Graph.Initializer.Add(new TensorProto { Name = "huge_indices", DataType = 7, Dims = { 50_000 }, RawData = ByteString.CopyFrom(new byte[50_000 * 8]) });
        model.Graph.Node.Insert(0, new NodeProto { OpType = "Gather", Name = "huge_gather", Input = { "huge_data", "huge_indices" }, Output = { "huge" } });
        if (used) model.Graph.Output.Add(new ValueInfoProto { Name = "huge" });
        string path = _cli.PathOf(used ? "used.onnx" : "unused.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void A_huge_constant_gather_nothing_uses_is_never_folded()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        (int code, _, string error) = CliHarness.Run(["convert", WithHugeGather(used: false), "-o", _cli.PathOf("out.elstm")]);
        Assert.True(code == ExitCodes.Success, error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256L << 20, "the unused Gather was folded");
    }

    [Fact]
    public void A_huge_constant_gather_the_graph_uses_is_refused_before_it_is_allocated()
    {
        (int code, _, string error) = CliHarness.Run(["convert", WithHugeGather(used: true), "-o", _cli.PathOf("out.elstm")]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("node 'huge_gather' (Gather): a folded tensor of shape [50000, 65536] would hold more than", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_fold_past_the_limit_is_refused_and_an_index_out_of_range_is_named()
    {
        var node = new NodeProto { OpType = "Gather", Name = "g" };
        TensorData row = TensorData.FromFloats("", [1, 65_536], new float[65_536]);
        ConversionException big = Assert.Throws<ConversionException>(() =>
            ConstantFolding.TryFold(node, [row, TensorData.FromIntegers("", [1025], new long[1025])], 14, "test"));
        Assert.Equal("test: a folded tensor of shape [1025, 65536] would hold more than 67,108,864 values, the folding budget left; a model for a board never needs one that large.", big.Message);
        ConversionException index = Assert.Throws<ConversionException>(() =>
            ConstantFolding.TryFold(node, [row, TensorData.FromIntegers("", [1], [1])], 14, "test"));
        Assert.Equal("test: gathers index 1 from an axis of 1.", index.Message);
    }

    [Theory]
    [InlineData("oom", ExitCodes.BadInput, "error: out of memory: the input needs more memory than this machine has")]
    [InlineData("stack", ExitCodes.BadInput, "error: out of stack: the input is nested too deeply to process")]
    [InlineData("bug", ExitCodes.InternalError, "error: internal error (InvalidOperationException): broken — please report it with the --verbose output")]
    public void A_fault_a_command_did_not_handle_ends_with_one_line_and_a_documented_code(string kind, int code, string line)
    {
        var error = new StringWriter();
        var context = new CommandContext(TextWriter.Null, error, verbose: false, interactive: false);
#pragma warning disable CA2201 // the runtime's own exceptions, made here to see how they are reported
        int exit = context.Execute(() => throw (kind switch
        {
            "oom" => new OutOfMemoryException(),
            "stack" => new InsufficientExecutionStackException(),
            _ => (Exception)new InvalidOperationException("broken"),
        }));
#pragma warning restore CA2201
        Assert.Equal(code, exit);
        Assert.Equal(line, error.ToString().TrimEnd());
    }
}
