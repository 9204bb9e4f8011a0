using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>The dense head: Gemm, MatMul, Add and activations on per-sample vectors.</summary>
public sealed partial class GraphImporter
{
    private GraphValue VectorOp(NodeProto node, VectorValue v, GraphValue?[] inputs, string where)
    {
        var a = new NodeAttributes(node, where);
        switch (node.OpType)
        {
            case "Gemm":
            {
                RequireBatchFeature(v, where);
                if (a.Int("transA", 0) != 0) throw Fail(where, "transA=1 is not supported");
                float alpha = a.Float("alpha", 1f), beta = a.Float("beta", 1f);
                TensorData b = ConstTensor(inputs, 1, "B", where);
                bool transB = a.Int("transB", 0) != 0;
                float[] weights = Dense(b, transB, v.Width, where, out int outputs);
                for (int i = 0; i < weights.Length; i++) weights[i] *= alpha;
                float[] bias = inputs.Length > 2 && inputs[2] is not null ? BiasVector(ConstTensor(inputs, 2, "C", where), outputs, where) : new float[outputs];
                for (int i = 0; i < bias.Length; i++) bias[i] *= beta;
                return Append(v, new DenseLayer(WeightMatrix.FromFloat(outputs, v.Width, weights), bias, ActivationKind.None));
            }
            case "MatMul":
            {
                RequireBatchFeature(v, where);
                float[] weights = Dense(ConstTensor(inputs, 1, "B", where), transposed: false, v.Width, where, out int outputs);
                return Append(v, new DenseLayer(WeightMatrix.FromFloat(outputs, v.Width, weights), new float[outputs], ActivationKind.None));
            }
            case "Add":
            {
                float[] add = BiasVector(ConstTensor(inputs, 1, "B", where), v.Width, where);
                if (v.Head.Count > 0 && v.Head[^1].Activation == ActivationKind.None)
                {
                    DenseLayer last = v.Head[^1];
                    float[] bias = [.. last.Bias.Select((x, i) => x + add[i])];
                    return v with { Head = [.. v.Head.Take(v.Head.Count - 1), last with { Bias = bias }] };
                }
                return Append(v, Identity(v.Width, add, ActivationKind.None));
            }
            case "Relu" or "Sigmoid" or "Tanh" or "Softmax":
            {
                ActivationKind kind = node.OpType switch
                {
                    "Relu" => ActivationKind.Relu,
                    "Sigmoid" => ActivationKind.Sigmoid,
                    "Tanh" => ActivationKind.Tanh,
                    _ => ActivationKind.Softmax,
                };
                if (kind == ActivationKind.Softmax)
                {
                    int axis = NormalizeAxis(a.Int("axis", _opset >= 13 ? -1 : 1), v.Axes.Length, where);
                    if (v.Axes[axis] != AxisRole.Feature) throw Fail(where, "applies softmax across the batch instead of the outputs");
                }
                if (v.Head.Count > 0 && v.Head[^1].Activation == ActivationKind.None)
                    return v with { Head = [.. v.Head.Take(v.Head.Count - 1), v.Head[^1] with { Activation = kind }] };
                return Append(v, Identity(v.Width, new float[v.Width], kind));
            }
            case "Flatten":
                RequireBatchFeature(v, where);
                if (a.Int("axis", 1) != 1) throw Fail(where, "flattens the batch axis");
                return v;
            case "Reshape":
            {
                long[] target = ConstInts(inputs, 1, "shape", where);
                RequireBatchFeature(v, where);
                if (target.Length != 2 || !(target[1] is -1 or 0 || target[1] == v.Width) || target[0] is not (-1 or 0 or 1))
                    throw Fail(where, $"reshapes the head vector to [{string.Join(", ", target)}]; only [batch, features] is supported");
                return v;
            }
            case "Concat":
            {
                int axis = NormalizeAxis(a.Int("axis", 0), v.Axes.Length, where);
                if (v.Axes[axis] != AxisRole.Feature || inputs.Any(o => o is not VectorValue { LastStepLayer: < 0, Head.Count: 0 } ov || !ov.Axes.AsSpan().SequenceEqual(v.Axes)))
                    throw Fail(where, "concatenates values the engine cannot compose; only final states of the last layer's directions (torch.cat((h_n[-2], h_n[-1]), 1)) are supported");
                VectorValue[] parts = [.. inputs.Cast<VectorValue>()];
                return v with { Parts = [.. parts.SelectMany(p => p.Parts)], SourceWidth = parts.Sum(p => p.SourceWidth) };
            }
            default:
                throw Fail(where, $"operator {node.OpType} is not supported in the dense head; supported: Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax");
        }
    }

    private static VectorValue Append(VectorValue v, DenseLayer layer) => v with { Head = [.. v.Head, layer] };

    private static DenseLayer Identity(int width, float[] bias, ActivationKind activation)
    {
        var w = new float[width * width];
        for (int i = 0; i < width; i++) w[i * width + i] = 1f;
        return new DenseLayer(WeightMatrix.FromFloat(width, width, w), bias, activation);
    }

    private static void RequireBatchFeature(VectorValue v, string where)
    {
        if (v.Axes is not [AxisRole.Batch, AxisRole.Feature])
            throw Fail(where, $"receives a tensor with axes [{string.Join(", ", v.Axes)}]; expected [batch, features]");
    }

    /// <summary>Reads a dense weight as [outputs, inputs]; ONNX MatMul and Gemm with transB=0 store it as [inputs, outputs].</summary>
    private static float[] Dense(TensorData b, bool transposed, int inputs, string where, out int outputs)
    {
        if (b.Dims.Length != 2) throw Fail(where, $"weight has shape {b.ShapeText}; expected 2 dimensions");
        long rows = b.Dims[0], cols = b.Dims[1];
        long fanIn = transposed ? cols : rows;
        if (fanIn != inputs) throw Fail(where, $"weight {b.ShapeText} takes {fanIn} inputs but receives {inputs}");
        float[] values = b.AsFloats();
        if (transposed)
        {
            outputs = (int)rows;
            return (float[])values.Clone();
        }
        outputs = (int)cols;
        var w = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
                w[c * rows + r] = values[r * cols + c];
        }

        return w;
    }

    private static float[] BiasVector(TensorData t, int outputs, string where)
    {
        float[] values = t.AsFloats();
        if (values.Length == 1) return Enumerable.Repeat(values[0], outputs).ToArray();
        bool shapeOk = t.Dims is [var n] && n == outputs || t.Dims is [1, var m] && m == outputs;
        if (!shapeOk) throw Fail(where, $"bias has shape {t.ShapeText}; expected [{outputs}] or [1, {outputs}]");
        return (float[])values.Clone();
    }
}
