using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Onnx.Proto;

namespace EdgeLstm.Convert.Tests;

/// <summary>The data-movement operators folded on constants, against results worked out by hand.</summary>
public sealed class ConstantFoldingTests
{
    // [[0, 1, 2], [3, 4, 5]]
    private static readonly TensorData Matrix = TensorData.FromFloats("m", [2, 3], [0, 1, 2, 3, 4, 5]);

    private static NodeProto Node(string op, params (string Name, long[] Ints)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        foreach (var (name, ints) in attributes)
        {
            var a = new AttributeProto { Name = name };
            if (ints.Length == 1 && name is "axis" or "to") a.I = ints[0]; else a.Ints.AddRange(ints);
            node.Attribute.Add(a);
        }
        return node;
    }

    private static TensorData Ints(params long[] values) => TensorData.FromIntegers("", [values.Length], values);

    private static TensorData Fold(NodeProto node, params TensorData?[] inputs) =>
        ConstantFolding.TryFold(node, inputs, 14, "test") ?? throw new InvalidOperationException("not folded");

    [Fact]
    public void Transpose_swaps_axes()
    {
        TensorData t = Fold(Node("Transpose", ("perm", [1, 0])), Matrix);
        Assert.Equal([3L, 2], t.Dims);
        Assert.Equal([0f, 3, 1, 4, 2, 5], t.Floats!);
    }

    [Fact]
    public void Slice_with_negative_start_and_step()
    {
        TensorData t = Fold(Node("Slice"), Matrix, Ints(-3), Ints(long.MaxValue), Ints(1), Ints(2));
        Assert.Equal([2L, 2], t.Dims);
        Assert.Equal([0f, 2, 3, 5], t.Floats!);
    }

    [Fact]
    public void Gather_rows_with_a_negative_index()
    {
        TensorData t = Fold(Node("Gather", ("axis", [0])), Matrix, Ints(-1, 0));
        Assert.Equal([2L, 3], t.Dims);
        Assert.Equal([3f, 4, 5, 0, 1, 2], t.Floats!);
        TensorData column = Fold(Node("Gather", ("axis", [1])), Matrix, TensorData.FromIntegers("", [], [2]));
        Assert.Equal([2L], column.Dims);
        Assert.Equal([2f, 5], column.Floats!);
    }

    [Fact]
    public void Concat_along_the_last_axis()
    {
        TensorData t = Fold(Node("Concat", ("axis", [-1])), Matrix, TensorData.FromFloats("", [2, 1], [9, 8]));
        Assert.Equal([2L, 4], t.Dims);
        Assert.Equal([0f, 1, 2, 9, 3, 4, 5, 8], t.Floats!);
    }

    [Fact]
    public void Reshape_unsqueeze_and_squeeze_keep_the_values()
    {
        TensorData r = Fold(Node("Reshape"), Matrix, Ints(0, -1, 1));
        Assert.Equal([2L, 3, 1], r.Dims);
        TensorData u = Fold(Node("Unsqueeze"), Matrix, Ints(0));
        Assert.Equal([1L, 2, 3], u.Dims);
        TensorData s = Fold(Node("Squeeze"), u, Ints(0));
        Assert.Equal([2L, 3], s.Dims);
        Assert.Equal(Matrix.Floats!, s.Floats!);
    }

    [Fact]
    public void Arithmetic_is_not_folded()
    {
        Assert.Null(ConstantFolding.TryFold(Node("Add"), [Matrix, Matrix], 14, "test"));
    }
}
