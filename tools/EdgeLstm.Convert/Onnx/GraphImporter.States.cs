using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Operations on final hidden states (Y_h): selecting and concatenating layers and directions.</summary>
public sealed partial class GraphImporter
{
    private GraphValue StateOp(NodeProto node, StateValue s, GraphValue?[] inputs, string where)
    {
        int dirAxis = s.IndexOf(AxisRole.Direction);
        switch (node.OpType)
        {
            case "Transpose":
                return s with { Axes = Permute(s.Axes, Perm(node, s.Axes.Length, where), where) };
            case "Gather":
            {
                int axis = NormalizeAxis(new NodeAttributes(node, where).Int("axis", 0), s.Axes.Length, where);
                if (axis != dirAxis) throw Fail(where, "gathers along an axis other than the layer/direction axis of the final states");
                TensorData index = ConstTensor(inputs, 1, "indices", where);
                long[] ids = [.. index.AsIntegers(where).Select(i => i < 0 ? i + s.Parts.Count : i)];
                if (ids.Any(i => i < 0 || i >= s.Parts.Count)) throw Fail(where, $"index out of range for {s.Parts.Count} final states");
                if (index.Dims.Length == 0)
                    return new VectorValue([.. s.Axes.Where((_, i) => i != axis)], -1, [s.Parts[(int)ids[0]]], s.Hidden, []);
                return s with { Parts = [.. ids.Select(i => s.Parts[(int)i])] };
            }
            case "Squeeze":
            {
                long[] axes = SqueezeAxes(node, inputs, s.Axes.Length, where);
                if (axes.Length != 1 || axes[0] != dirAxis || s.Parts.Count != 1)
                    throw Fail(where, "squeezes an axis of the final states that does not have size 1");
                return new VectorValue([.. s.Axes.Where((_, i) => i != dirAxis)], -1, s.Parts, s.Hidden, []);
            }
            case "Concat":
            {
                int axis = NormalizeAxis(new NodeAttributes(node, where).Int("axis", 0), s.Axes.Length, where);
                if (axis != dirAxis || inputs.Any(v => v is not StateValue o || !o.Axes.AsSpan().SequenceEqual(s.Axes) || o.Hidden != s.Hidden))
                    throw Fail(where, "concatenates final states other than along the layer/direction axis");
                return s with { Parts = [.. inputs.Cast<StateValue>().SelectMany(o => o.Parts)] };
            }
            case "Reshape":
            {
                long[] target = ConstInts(inputs, 1, "shape", where);
                int featAxis = s.IndexOf(AxisRole.Feature);
                if (featAxis != dirAxis + 1 || target.Length != 2 || !(target[1] == -1 || target[1] == s.Parts.Count * s.Hidden))
                    throw Fail(where, $"reshapes the final states to [{string.Join(", ", target)}]; only [batch, directions·hidden] is supported");
                return new VectorValue([AxisRole.Batch, AxisRole.Feature], -1, s.Parts, s.Parts.Count * s.Hidden, []);
            }
            default:
                throw Fail(where, $"operator {node.OpType} is not supported on final states (Y_h)");
        }
    }
}
