using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Operations on sequences: layout glue, merging directions, taking the last step, per-step dense layers.</summary>
public sealed partial class GraphImporter
{
    private static SequenceValue InputSequenceCheck(SequenceValue s, NodeProto node, string where)
    {
        if (s.Layer < 0 && node.OpType != "Transpose")
            throw Fail(where, "changes the model input before the first recurrent layer; only a Transpose of the input is supported");
        return s;
    }

    private GraphValue SequenceOp(NodeProto node, SequenceValue s, GraphValue?[] inputs, string where)
    {
        InputSequenceCheck(s, node, where);
        if (node.OpType is "MatMul" or "Add" or "Relu" or "Sigmoid" or "Tanh" or "Softmax")
            return PerStepDense(node, s, inputs, where);
        switch (node.OpType)
        {
            case "Transpose":
                return s with { Axes = Permute(s.Axes, Perm(node, s.Axes.Length, where), where) };
            case "Squeeze":
            {
                long[] axes = SqueezeAxes(node, inputs, s.Axes.Length, where);
                AxisRole[] kept = s.Axes;
                bool toVector = false;
                foreach (long a in axes.OrderDescending())
                {
                    AxisRole role = s.Axes[a];
                    if (role == AxisRole.Direction && s.Directions == 1) { }
                    else if (role == AxisRole.Time && s.LastStepOnly)
                        {
                            toVector = true;
                        }
                        else
                        {
                            throw Fail(where, $"squeezes the {Describe(role)} axis, which does not have size 1 here");
                        }

                        kept = [.. kept.Where((_, i) => i != a)];
                }
                return toVector ? LastStep(s, kept, where) : s with { Axes = kept };
            }
            case "Reshape":
                return ReshapeSequence(s, ConstInts(inputs, 1, "shape", where), where);
            case "Gather":
            {
                int axis = NormalizeAxis(new NodeAttributes(node, where).Int("axis", 0), s.Axes.Length, where);
                TensorData index = ConstTensor(inputs, 1, "indices", where);
                long[] ids = index.AsIntegers(where);
                if (index.Dims.Length != 0 || s.Axes[axis] != AxisRole.Time)
                    throw Fail(where, "gathers from the sequence other than one time step; only the last step (y[:, -1]) is supported");
                if (!(ids[0] == -1 || (s.LastStepOnly && ids[0] == 0)))
                    throw Fail(where, $"takes time step {ids[0]}; only the last step (index -1) is supported because sequences have any length");
                return LastStep(s, [.. s.Axes.Where((_, i) => i != axis)], where);
            }
            case "Slice":
            {
                (long[] starts, long[] ends, long[] axes, long[] steps) = SliceArgs(node, inputs, s.Axes.Length, where);
                // tf2onnx writes Keras's x[:, -1, :] as one Slice over every axis; the other axes keep their full range.
                bool lastStep = false, other = false;
                for (int k = 0; k < axes.Length; k++)
                {
                    bool toEnd = ends[k] >= int.MaxValue && steps[k] == 1;
                    if (s.Axes[axes[k]] == AxisRole.Time && starts[k] == -1 && toEnd) lastStep = true;
                    else if (!(starts[k] == 0 && toEnd)) other = true;
                }
                if (!lastStep || other)
                    throw Fail(where, "slices the sequence other than keeping the last time step (y[:, -1:]); not supported");
                return s with { LastStepOnly = true };
            }
            default:
                throw Fail(where, node.OpType == "Gemm"
                    ? "applies Gemm to a 3-dimensional sequence; Gemm takes [batch, features] (use it after taking the last step)"
                    : $"operator {node.OpType} is not supported on a recurrent sequence");
        }
    }

    /// <summary>
    /// A dense layer or activation applied to every time step. It commutes with taking the last step, so it joins
    /// the head; it must act on the feature axis of a sequence whose directions are merged.
    /// </summary>
    private SequenceValue PerStepDense(NodeProto node, SequenceValue s, GraphValue?[] inputs, string where)
    {
        if (s.HasDirectionAxis || s.Axes[^1] != AxisRole.Feature)
            throw Fail(where, "applies to a sequence whose last axis is not the merged features");
        if (node.OpType == "Softmax")
        {
            int axis = NormalizeAxis(new NodeAttributes(node, where).Int("axis", _opset >= 13 ? -1 : 1), s.Axes.Length, where);
            if (axis != s.Axes.Length - 1)
                throw Fail(where, "applies softmax across an axis other than the outputs");
        }
        var asVector = new VectorValue([AxisRole.Batch, AxisRole.Feature], s.Layer, [], s.SourceFeatures, s.DenseLayers);
        if (node.OpType == "Softmax")
            asVector = (VectorValue)VectorOp(SoftmaxOnLastAxis(node), asVector, inputs, where);
        else
            asVector = (VectorValue)VectorOp(node, asVector, inputs, where);
        return s with { Head = asVector.Head, Features = asVector.Width };
    }

    private static NodeProto SoftmaxOnLastAxis(NodeProto node)
    {
        var copy = new NodeProto { Name = node.Name, OpType = node.OpType, Domain = node.Domain };
        copy.Input.AddRange(node.Input);
        copy.Output.AddRange(node.Output);
        copy.Attribute.Add(new AttributeProto { Name = "axis", I = -1 });
        return copy;
    }

    private static SequenceValue ReshapeSequence(SequenceValue s, long[] target, string where)
    {
        int dirAxis = s.IndexOf(AxisRole.Direction);
        int featAxis = s.IndexOf(AxisRole.Feature);
        if (dirAxis >= 0 && featAxis == dirAxis + 1 && target.Length == s.Axes.Length - 1)
        {
            // Bidirectional glue: [..., D, H] -> [..., D·H], features ordered forward then reverse, as the engine concatenates.
            long merged = target[dirAxis];
            if (merged != -1 && merged != (long)s.Directions * s.Features)
                throw Fail(where, $"reshapes the direction and feature axes to {merged}; expected {s.Directions * s.Features} or -1");
            for (int i = 0; i < target.Length; i++)
            {
                if (i != dirAxis && target[i] == -1 && merged == -1)
                    throw Fail(where, "has two inferred (-1) dimensions");
            }

            return s with { Axes = s.Axes.Where((_, i) => i != featAxis).Select((r, i) => i == dirAxis ? AxisRole.Feature : r).ToArray(), Features = s.Directions * s.Features };
        }
        if (target.Length == s.Axes.Length && featAxis >= 0 && target[featAxis] is -1 or 0 || target.Length == s.Axes.Length && featAxis >= 0 && target[featAxis] == s.Features)
        {
            for (int i = 0; i < target.Length; i++)
            {
                if (i != featAxis && target[i] is not (0 or -1) && s.Axes[i] == AxisRole.Direction && target[i] != s.Directions)
                    throw Fail(where, "reshapes the direction axis");
            }

            return s;
        }
        throw Fail(where, $"reshapes the sequence to [{string.Join(", ", target)}]; only merging the direction axis into the features is supported");
    }

    private static VectorValue LastStep(SequenceValue s, AxisRole[] remaining, string where)
    {
        if (remaining.Contains(AxisRole.Direction))
            throw Fail(where, "takes the last step while the direction axis is still separate; merge it into the features first");
        return new VectorValue(remaining, s.Layer, [], s.SourceFeatures, s.DenseLayers);
    }
}
