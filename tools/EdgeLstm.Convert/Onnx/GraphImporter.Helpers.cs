using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Attribute and constant-input helpers shared by the operator handlers.</summary>
public sealed partial class GraphImporter
{
    private static long[] Perm(NodeProto node, int rank, string where)
    {
        long[]? perm = new NodeAttributes(node, where).Ints("perm");
        return perm ?? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
    }

    private static AxisRole[] Permute(AxisRole[] axes, long[] perm, string where)
    {
        if (perm.Length != axes.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= axes.Length))
            throw Fail(where, $"perm [{string.Join(", ", perm)}] does not match a tensor with {axes.Length} dimensions");
        return [.. perm.Select(p => axes[p])];
    }

    private long[] SqueezeAxes(NodeProto node, GraphValue?[] inputs, int rank, string where)
    {
        long[]? axes = _opset >= 13 ? (inputs.Length > 1 && inputs[1] is not null ? ConstInts(inputs, 1, "axes", where) : null) : new NodeAttributes(node, where).Ints("axes");
        if (axes is null) throw Fail(where, "squeezes without naming axes; the converter needs explicit axes");
        // At most one entry per axis, each once: a hostile axes tensor of millions of entries is refused here,
        // before each entry is applied (which copies the axis list every time).
        if (axes.Length > rank) throw Fail(where, $"squeezes {axes.Length} axes of a tensor with {rank}");
        long[] normalized = [.. axes.Select(a => (long)NormalizeAxis(a, rank, where))];
        if (normalized.Distinct().Count() != normalized.Length) throw Fail(where, $"names an axis twice in [{string.Join(", ", axes)}]");
        return normalized;
    }

    private (long[] Starts, long[] Ends, long[] Axes, long[] Steps) SliceArgs(NodeProto node, GraphValue?[] inputs, int rank, string where)
    {
        long[] starts, ends;
        long[]? axes, steps = null;
        if (_opset >= 10)
        {
            starts = ConstInts(inputs, 1, "starts", where);
            ends = ConstInts(inputs, 2, "ends", where);
            axes = inputs.Length > 3 && inputs[3] is not null ? ConstInts(inputs, 3, "axes", where) : null;
            if (inputs.Length > 4 && inputs[4] is not null) steps = ConstInts(inputs, 4, "steps", where);
        }
        else
        {
            var a = new NodeAttributes(node, where);
            starts = a.Ints("starts") ?? [];
            ends = a.Ints("ends") ?? [];
            axes = a.Ints("axes");
        }
        axes ??= [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        steps ??= [.. starts.Select(_ => 1L)];
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw Fail(where, $"has {starts.Length} starts, {ends.Length} ends, {axes.Length} axes and {steps.Length} steps; they must pair up");
        return (starts, ends, [.. axes.Select(x => (long)NormalizeAxis(x, rank, where))], steps);
    }

    private static int NormalizeAxis(long axis, int rank, string where)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Fail(where, $"axis {axis} is out of range for {rank} dimensions");
        return (int)a;
    }

    private static TensorData ConstTensor(GraphValue?[] inputs, int index, string name, string where) =>
        (index < inputs.Length ? inputs[index] : null) switch
        {
            ConstantValue c => c.Tensor,
            null => throw Fail(where, $"input {name} is missing"),
            _ => throw Fail(where, $"input {name} is computed at run time; the converter needs it as a constant"),
        };

    private static long[] ConstInts(GraphValue?[] inputs, int index, string name, string where) =>
        ConstTensor(inputs, index, name, where).AsIntegers(where);

    private static string Describe(AxisRole role) => role.ToString().ToLowerInvariant();

    private static ConversionException Unsupported(NodeProto node, string where) =>
        Fail(where, $"operator {node.OpType} is not supported; the converter handles LSTM, GRU, Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax and exporter glue (Transpose, Squeeze, Unsqueeze, Reshape, Gather, Slice, Concat, Shape, ConstantOfShape)");

    private static ConversionException Fail(string where, string why) => new($"{where}: {why}.");
}
