using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Constants and shape arithmetic: what exporters compute from shapes (zero states, known axis sizes).</summary>
public sealed partial class GraphImporter
{
    private static GraphValue ConstantNode(NodeProto node, string where)
    {
        var a = new NodeAttributes(node, where);
        if (a.Tensor("value") is { } t) return new ConstantValue(t);
        if (a.Has("value_float")) return new ConstantValue(TensorData.FromFloats("", [], [a.Float("value_float", 0)]));
        if (a.Floats("value_floats") is { } fs) return new ConstantValue(TensorData.FromFloats("", [fs.Length], fs));
        if (a.Has("value_int")) return new ConstantValue(TensorData.FromIntegers("", [], [a.Int("value_int", 0)]));
        if (a.Ints("value_ints") is { } ins) return new ConstantValue(TensorData.FromIntegers("", [ins.Length], ins));
        throw Fail(where, "has no tensor, float or int value");
    }

    private static readonly HashSet<string> ShapeOps = new(StringComparer.Ordinal)
    {
        "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Reshape", "Expand", "Cast", "Identity",
        "ConstantOfShape", "Range", "Equal", "Where", "Mul", "Add", "Sub", "Div", "Tile", "Transpose",
    };

    private GraphValue ShapeOp(NodeProto node, GraphValue?[] inputs, int opset, string where)
    {
        if (!ShapeOps.Contains(node.OpType)) throw Unsupported(node, where);
        if (inputs.Length == 0) throw Fail(where, "has no inputs");
        if (inputs.All(v => v is null or ConstantValue) && inputs.Length > 0 && inputs[0] is ConstantValue
            && ConstantFolding.TryFold(node, [.. inputs.Select(v => (v as ConstantValue)?.Tensor)], opset, where, FoldingBudget - _foldedElements) is { } folded)
        {
            // Reshapes and identities share their input's values: only new arrays count against the budget.
            bool shared = inputs.Any(v => v is ConstantValue { Tensor: var t }
                && ((folded.Floats is not null && ReferenceEquals(t.Floats, folded.Floats)) || (folded.Integers is not null && ReferenceEquals(t.Integers, folded.Integers))));
            if (!shared) CountFolded(folded.ElementCount, where);
            return new ConstantValue(folded);
        }

        if (node.OpType == "Gather" && inputs[0] is ShapeOfValue shapeOf && inputs.Length > 1 && inputs[1] is ConstantValue { Tensor: var index })
            return KnownDimension(shapeOf.Source, index, where);
        if (node.OpType == "Equal" && inputs is [ConstantValue { Tensor.Integers: { } a } ca, ConstantValue { Tensor.Integers: { } b }] && a.Length == 1 && b.Length == 1)
            return new ConstantValue(TensorData.FromIntegers("", ca.Tensor.Dims, [a[0] == b[0] ? 1 : 0]));
        if (node.OpType == "ConstantOfShape")
        {
            TensorData? value = new NodeAttributes(node, where).Tensor("value");
            return new FilledValue(value is null ? 0f : value.AsFloats().FirstOrDefault());
        }
        // Slicing, gathering or reshaping a tensor of equal values keeps it a tensor of that value (torch's zero states).
        if (inputs.Length > 0 && inputs[0] is FilledValue filled && node.OpType is not ("Shape" or "Size" or "Mul" or "Add" or "Sub" or "Div" or "Range" or "Equal" or "Where"))
        {
            if (node.OpType == "Concat" && !inputs.All(v => v is FilledValue f && f.Fill == filled.Fill)) return new RuntimeShapeValue();
            return filled;
        }
        // Constants feeding the data path are read where they are used; anything computed here is only needed at run time.
        if (node.OpType is "Identity" && inputs[0] is ConstantValue c) return c;
        // Broadcasting a constant of equal float values (tf2onnx's zero states: Expand(zeros, [1, batch, H])) keeps that value.
        if (node.OpType is "Expand" or "Tile" && inputs[0] is ConstantValue { Tensor.Floats: { Length: > 0 } values } && values.All(v => v == values[0]))
            return new FilledValue(values[0]);
        return new RuntimeShapeValue();
    }

    /// <summary>The size of one axis of a tracked value, when the importer knows it; batch and time sizes are run-time values.</summary>
    private static GraphValue KnownDimension(GraphValue source, TensorData index, string where)
    {
        if (index.ElementCount != 1 || index.Integers is null) return new RuntimeShapeValue();
        AxisRole[] axes = source switch
        {
            SequenceValue s => s.Axes,
            StateValue s => s.Axes,
            VectorValue v => v.Axes,
            _ => [],
        };
        long? Size(AxisRole role) => source switch
        {
            SequenceValue s => role switch
            {
                AxisRole.Time when s.LastStepOnly => 1,
                AxisRole.Direction => s.Directions,
                AxisRole.Feature when s.Layer >= 0 => s.Features,
                _ => null,
            },
            StateValue s => role switch { AxisRole.Direction => s.Parts.Count, AxisRole.Feature => s.Hidden, _ => null },
            VectorValue v => role == AxisRole.Feature ? v.Width : null,
            _ => null,
        };
        if (axes.Length == 0) return new RuntimeShapeValue();
        long i = index.Integers[0] < 0 ? index.Integers[0] + axes.Length : index.Integers[0];
        if (i < 0 || i >= axes.Length) throw Fail(where, $"reads dimension {index.Integers[0]} of a {axes.Length}-dimensional value");
        return Size(axes[i]) is { } known ? new ConstantValue(TensorData.FromIntegers("", index.Dims, [known])) : new RuntimeShapeValue();
    }
}
