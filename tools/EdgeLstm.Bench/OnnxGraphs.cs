using System.Runtime.InteropServices;
using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;
using Google.Protobuf;

namespace EdgeLstm.Bench;

/// <summary>Which ONNX recurrent operator the written graph uses for each layer.</summary>
public enum OnnxLstmFlavor
{
    /// <summary>The standard float32 <c>LSTM</c> operator.</summary>
    Float32,

    /// <summary>ONNX Runtime's <c>com.microsoft.DynamicQuantizeLSTM</c>: int8 weights, per-tensor scale, zero point 0.</summary>
    DynamicQuantizeInt8,
}

/// <summary>
/// Writes an EdgeLstm float32 <see cref="RecurrentModel"/> (forward LSTM stack, softmax head on the last step) as an
/// ONNX graph with the same weights, so ONNX Runtime and EdgeLstm compute the same function.
/// </summary>
/// <remarks>
/// Graph inputs: <c>X</c> [T, 1, I] (T symbolic) and per layer <c>h0_l</c>, <c>c0_l</c> [1, 1, H]; outputs: <c>y</c> [1, C]
/// and per layer <c>hT_l</c>, <c>cT_l</c> [1, 1, H], so a caller can stream by feeding the final state back in.
/// </remarks>
public static class OnnxGraphs
{
    private const int FloatType = 1, Int8Type = 3, Int64Type = 7;

    /// <summary>Name of the sequence input.</summary>
    public const string Input = "X";

    /// <summary>Name of the prediction output.</summary>
    public const string Output = "y";

    /// <summary>Name of layer <paramref name="layer"/>'s initial hidden state input.</summary>
    public static string InitialHidden(int layer) => $"h0_{layer}";

    /// <summary>Name of layer <paramref name="layer"/>'s initial cell state input.</summary>
    public static string InitialCell(int layer) => $"c0_{layer}";

    /// <summary>Name of layer <paramref name="layer"/>'s final hidden state output.</summary>
    public static string FinalHidden(int layer) => $"hT_{layer}";

    /// <summary>Name of layer <paramref name="layer"/>'s final cell state output.</summary>
    public static string FinalCell(int layer) => $"cT_{layer}";

    /// <summary>Serializes the model as an ONNX file (bytes) using the given LSTM operator.</summary>
    public static byte[] Write(RecurrentModel model, OnnxLstmFlavor flavor)
    {
        if (model.Precision != ModelPrecision.Float32) throw new ArgumentException("Write the float32 model; ORT quantizes its own copy.", nameof(model));
        if (model.Head.Count != 1 || model.HeadInput != HeadInput.LastStep) throw new ArgumentException("Expected one dense head on the last step.", nameof(model));

        var graph = new GraphProto();
        graph.Input.Add(Value(Input, FloatType, Dim("T"), Dim(1), Dim(model.InputSize)));
        string x = Input;
        for (int l = 0; l < model.Layers.Count; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            if (layer.Kind != RecurrentKind.Lstm || layer.Direction != RecurrentDirection.Forward)
                throw new ArgumentException("Only forward LSTM layers are written.", nameof(model));
            int h = layer.HiddenSize, i = layer.InputSize;
            DirectionWeights d = layer.Directions[0];
            graph.Input.Add(Value(InitialHidden(l), FloatType, Dim(1), Dim(1), Dim(h)));
            graph.Input.Add(Value(InitialCell(l), FloatType, Dim(1), Dim(1), Dim(h)));
            graph.Output.Add(Value(FinalHidden(l), FloatType, Dim(1), Dim(1), Dim(h)));
            graph.Output.Add(Value(FinalCell(l), FloatType, Dim(1), Dim(1), Dim(h)));

            // B = [Wb; Rb] in both operators; gate order i, o, f, c is EdgeLstm's own (it follows ONNX).
            float[] bias = [.. d.InputBias, .. d.RecurrenceBias];
            graph.Initializer.Add(FloatTensor($"B{l}", bias, 1, 8 * h));
            var node = new NodeProto { Name = $"lstm{l}" };
            node.Attribute.Add(new AttributeProto { Name = "hidden_size", I = h, Type = AttributeProto.Types.AttributeType.Int });
            string y = $"Y{l}";
            if (flavor == OnnxLstmFlavor.Float32)
            {
                node.OpType = "LSTM";
                graph.Initializer.Add(FloatTensor($"W{l}", d.W.ToFloat(), 1, 4 * h, i));
                graph.Initializer.Add(FloatTensor($"R{l}", d.R.ToFloat(), 1, 4 * h, h));
                node.Input.Add([x, $"W{l}", $"R{l}", $"B{l}", "", InitialHidden(l), InitialCell(l)]);
            }
            else
            {
                node.OpType = "DynamicQuantizeLSTM";
                node.Domain = "com.microsoft";
                // This operator takes W as [1, I, 4H] and R as [1, H, 4H]: the transposes of LSTM's.
                (sbyte[] w, float ws) = QuantizeTransposed(d.W.ToFloat(), 4 * h, i);
                (sbyte[] r, float rs) = QuantizeTransposed(d.R.ToFloat(), 4 * h, h);
                graph.Initializer.Add(Int8Tensor($"W{l}", w, 1, i, 4 * h));
                graph.Initializer.Add(Int8Tensor($"R{l}", r, 1, h, 4 * h));
                graph.Initializer.Add(FloatTensor($"Ws{l}", [ws], 1));
                graph.Initializer.Add(FloatTensor($"Rs{l}", [rs], 1));
                graph.Initializer.Add(Int8Tensor($"Wz{l}", [0], 1));
                graph.Initializer.Add(Int8Tensor($"Rz{l}", [0], 1));
                node.Input.Add([x, $"W{l}", $"R{l}", $"B{l}", "", InitialHidden(l), InitialCell(l), "",
                    $"Ws{l}", $"Wz{l}", $"Rs{l}", $"Rz{l}"]);
            }
            node.Output.Add([y, FinalHidden(l), FinalCell(l)]);
            graph.Node.Add(node);

            // Y is [T, 1, 1, H]; the next layer wants [T, 1, H].
            if (l + 1 < model.Layers.Count)
            {
                string squeezed = $"Y{l}_seq";
                var squeeze = new NodeProto { Name = $"squeeze{l}", OpType = "Squeeze" };
                squeeze.Input.Add([y, "axis1"]);
                squeeze.Output.Add(squeezed);
                graph.Node.Add(squeeze);
                x = squeezed;
            }
        }
        graph.Initializer.Add(Int64Tensor("axis1", [1], 1));

        // Head: the last layer's final hidden state [1, 1, H] → [1, H] → Gemm (transB) → Softmax.
        DenseLayer head = model.Head[0];
        int last = model.Layers.Count - 1;
        graph.Initializer.Add(Int64Tensor("head_shape", [1, head.InputSize], 2));
        graph.Initializer.Add(FloatTensor("head_W", head.W.ToFloat(), head.OutputSize, head.InputSize));
        graph.Initializer.Add(FloatTensor("head_b", head.Bias, head.OutputSize));
        var reshape = new NodeProto { Name = "flatten", OpType = "Reshape" };
        reshape.Input.Add([FinalHidden(last), "head_shape"]);
        reshape.Output.Add("head_in");
        var gemm = new NodeProto { Name = "head", OpType = "Gemm" };
        gemm.Input.Add(["head_in", "head_W", "head_b"]);
        gemm.Output.Add("logits");
        gemm.Attribute.Add(new AttributeProto { Name = "transB", I = 1, Type = AttributeProto.Types.AttributeType.Int });
        var softmax = new NodeProto { Name = "softmax", OpType = "Softmax" };
        softmax.Input.Add("logits");
        softmax.Output.Add(Output);
        softmax.Attribute.Add(new AttributeProto { Name = "axis", I = -1, Type = AttributeProto.Types.AttributeType.Int });
        graph.Node.Add([reshape, gemm, softmax]);
        graph.Output.Insert(0, Value(Output, FloatType, Dim(1), Dim(head.OutputSize)));

        var onnx = new ModelProto { IrVersion = 8, Graph = graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        if (flavor == OnnxLstmFlavor.DynamicQuantizeInt8)
            onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return onnx.ToByteArray();
    }

    // Symmetric per-tensor int8 (zero point 0), written column-major relative to the [rows, columns] source.
    private static (sbyte[] Values, float Scale) QuantizeTransposed(float[] source, int rows, int columns)
    {
        float max = 0;
        foreach (float v in source) max = MathF.Max(max, MathF.Abs(v));
        float scale = max > 0 ? max / 127f : 1f;
        var q = new sbyte[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
                q[c * rows + r] = (sbyte)Math.Clamp(MathF.Round(source[r * columns + c] / scale), -127, 127);
        }

        return (q, scale);
    }

    private static TensorShapeProto.Types.Dimension Dim(long size) => new() { DimValue = size };

    private static TensorShapeProto.Types.Dimension Dim(string name) => new() { DimParam = name };

    private static ValueInfoProto Value(string name, int elementType, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims) =>
        Tensor(name, FloatType, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    private static TensorProto Int8Tensor(string name, sbyte[] values, params long[] dims) =>
        Tensor(name, Int8Type, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    private static TensorProto Int64Tensor(string name, long[] values, params long[] dims) =>
        Tensor(name, Int64Type, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    // raw_data is little-endian, which is this machine's layout.
    private static TensorProto Tensor(string name, int elementType, ReadOnlySpan<byte> raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = elementType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
