using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>An ONNX <c>LSTM</c> or <c>GRU</c> node read into a <see cref="RecurrentLayer"/>.</summary>
/// <param name="Layer">The layer, float32, in ONNX gate order (which the engine uses as it is).</param>
/// <param name="Layout">ONNX <c>layout</c>: 0 = [seq, batch, …], 1 = [batch, seq, …].</param>
/// <param name="SequenceLengths">The <c>sequence_lens</c> input when given as a constant; null when absent.</param>
internal sealed record RecurrentNode(RecurrentLayer Layer, int Layout, long[]? SequenceLengths);

/// <summary>
/// Reads the attributes and weight inputs of an ONNX <c>LSTM</c>/<c>GRU</c> node (operator spec: W [D, G·H, I],
/// R [D, G·H, H], B [D, 2·G·H] = [Wb; Rb], P [D, 3·H], initial states [D, batch, H] or [batch, D, H] for layout 1).
/// </summary>
internal static class RecurrentNodeReader
{
    public static bool IsRecurrent(NodeProto node) => node.Domain is "" or "ai.onnx" && node.OpType is "LSTM" or "GRU";

    /// <summary>Reads the node. <paramref name="inputs"/> holds the importer's value for each node input (null when absent).</summary>
    /// <param name="node">The LSTM or GRU node.</param>
    /// <param name="inputs">Values of the node inputs in order; null for an empty or missing input.</param>
    /// <param name="batchIndex">Which batch row of constant initial states to take; null requires all rows to be equal.</param>
    /// <param name="where">Names the node in errors.</param>
    public static RecurrentNode Read(NodeProto node, IReadOnlyList<GraphValue?> inputs, int? batchIndex, string where)
    {
        var attributes = new NodeAttributes(node, where);
        RecurrentKind kind = node.OpType == "LSTM" ? RecurrentKind.Lstm : RecurrentKind.Gru;
        int gates = kind == RecurrentKind.Lstm ? 4 : 3;
        string directionText = attributes.String("direction", "forward");
        RecurrentDirection direction = directionText switch
        {
            "forward" => RecurrentDirection.Forward,
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            _ => throw Fail(where, $"direction '{directionText}' is not forward, reverse or bidirectional"),
        };
        int directions = direction == RecurrentDirection.Bidirectional ? 2 : 1;
        int layout = (int)attributes.Int("layout", 0);
        if (layout is not (0 or 1)) throw Fail(where, $"layout {layout} is not 0 or 1");
        if (attributes.Int("input_forget", 0) != 0) throw Fail(where, "input_forget=1 (coupled input and forget gates) is not supported");

        TensorData w = Constant(inputs, 1, "W", where);
        TensorData r = Constant(inputs, 2, "R", where);
        if (w.Dims.Length != 3 || r.Dims.Length != 3)
            throw Fail(where, $"W {w.ShapeText} and R {r.ShapeText} must have 3 dimensions [directions, gates·hidden, …]");
        int hidden = (int)attributes.Int("hidden_size", r.Dims[2]);
        int inputSize = (int)w.Dims[2];
        int gateRows = gates * hidden;
        if (hidden <= 0 || hidden > RecurrentModel.MaxDimension) throw Fail(where, $"hidden_size {hidden} is out of range");
        RequireShape(w, [directions, gateRows, inputSize], "W", where);
        RequireShape(r, [directions, gateRows, hidden], "R", where);
        float[] wValues = w.AsFloats(), rValues = r.AsFloats();

        float[]? bias = null;
        if (Optional(inputs, 3, "B", where) is { } b)
        {
            RequireShape(b, [directions, 2 * gateRows], "B", where);
            bias = b.AsFloats();
        }
        long[]? sequenceLengths = Optional(inputs, 4, "sequence_lens", where)?.AsIntegers(where + " sequence_lens");
        float[]?[] initialH = InitialState(inputs, 5, "initial_h", directions, hidden, layout, batchIndex, where);
        float[]?[] initialC = kind == RecurrentKind.Lstm
            ? InitialState(inputs, 6, "initial_c", directions, hidden, layout, batchIndex, where)
            : new float[]?[directions];
        float[]? peepholes = null;
        if (kind == RecurrentKind.Lstm && Optional(inputs, 7, "P", where) is { } p)
        {
            RequireShape(p, [directions, 3 * hidden], "P", where);
            peepholes = p.AsFloats();
        }

        var weights = new DirectionWeights[directions];
        for (int d = 0; d < directions; d++)
        {
            float[] wb = bias is null ? new float[gateRows] : bias.AsSpan(d * 2 * gateRows, gateRows).ToArray();
            float[] rb = bias is null ? new float[gateRows] : bias.AsSpan(d * 2 * gateRows + gateRows, gateRows).ToArray();
            weights[d] = new DirectionWeights(
                WeightMatrix.FromFloat(gateRows, inputSize, wValues.AsSpan(d * gateRows * inputSize, gateRows * inputSize).ToArray()),
                WeightMatrix.FromFloat(gateRows, hidden, rValues.AsSpan(d * gateRows * hidden, gateRows * hidden).ToArray()),
                wb, rb,
                peepholes?.AsSpan(d * 3 * hidden, 3 * hidden).ToArray(),
                initialH[d], initialC[d]);
        }
        var layer = new RecurrentLayer(kind, direction, inputSize, hidden, weights,
            ReadActivations(attributes, kind, directions, where),
            attributes.Float("clip", 0f),
            kind == RecurrentKind.Gru && attributes.Int("linear_before_reset", 0) != 0);
        return new RecurrentNode(layer, layout, sequenceLengths);
    }

    private static IReadOnlyList<ActivationKind> ReadActivations(NodeAttributes attributes, RecurrentKind kind, int directions, string where)
    {
        string[]? names = attributes.Strings("activations");
        if (names is null || names.Length == 0) return RecurrentLayer.DefaultActivations(kind, directions);
        int expected = (kind == RecurrentKind.Lstm ? 3 : 2) * directions;
        if (names.Length != expected) throw Fail(where, $"lists {names.Length} activations; expected {expected}");
        return [.. names.Select(n => n.ToLowerInvariant() switch
        {
            "sigmoid" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            "relu" => ActivationKind.Relu,
            _ => throw Fail(where, $"activation '{n}' is not supported; recurrent gates support Sigmoid, Tanh and Relu"),
        })];
    }

    private static float[]?[] InitialState(IReadOnlyList<GraphValue?> inputs, int index, string name, int directions, int hidden,
        int layout, int? batchIndex, string where)
    {
        var states = new float[]?[directions];
        GraphValue? value = index < inputs.Count ? inputs[index] : null;
        switch (value)
        {
            case null:
                return states;
            case FilledValue filled:
                if (filled.Fill != 0)
                    for (int d = 0; d < directions; d++) states[d] = Enumerable.Repeat(filled.Fill, hidden).ToArray();
                return states;
            case ConstantValue { Tensor: var t }:
            {
                if (t.Dims.Length != 3) throw Fail(where, $"{name} has shape {t.ShapeText}; expected 3 dimensions");
                long batch = layout == 0 ? t.Dims[1] : t.Dims[0];
                long[] expected = layout == 0 ? [directions, batch, hidden] : [batch, directions, hidden];
                RequireShape(t, expected, name, where);
                float[] values = t.AsFloats();
                float Get(int d, long bIndex, int h) =>
                    values[layout == 0 ? (d * batch + bIndex) * hidden + h : (bIndex * directions + d) * hidden + h];
                long row = batchIndex ?? 0;
                if (row >= batch) throw Fail(where, $"{name} has {batch} batch rows; row {row} was asked for");
                for (int d = 0; d < directions; d++)
                {
                    var state = new float[hidden];
                    for (int h = 0; h < hidden; h++)
                    {
                        state[h] = Get(d, row, h);
                        if (batchIndex is null)
                            {
                                for (long bi = 1; bi < batch; bi++)
                                {
                                    if (Get(d, bi, h) != state[h])
                                    throw Fail(where, $"{name} differs between batch rows; the model needs one initial state per direction");
                                }
                            }
                        }
                    states[d] = state.All(v => v == 0) ? null : state;
                }
                return states;
            }
            default:
                throw Fail(where, $"{name} is computed at run time from the input; only constant or zero initial states are supported");
        }
    }

    private static TensorData Constant(IReadOnlyList<GraphValue?> inputs, int index, string name, string where) =>
        Optional(inputs, index, name, where) ?? throw Fail(where, $"input {name} is missing");

    private static TensorData? Optional(IReadOnlyList<GraphValue?> inputs, int index, string name, string where)
    {
        GraphValue? value = index < inputs.Count ? inputs[index] : null;
        return value switch
        {
            null => null,
            ConstantValue c => c.Tensor,
            UnusableValue u => throw Fail(where, $"input {name}: {u.Reason}"),
            _ => throw Fail(where, $"input {name} is computed at run time; the converter needs it as a constant (an initializer)"),
        };
    }

    private static void RequireShape(TensorData t, long[] expected, string name, string where)
    {
        if (!t.Dims.AsSpan().SequenceEqual(expected))
            throw Fail(where, $"{name} has shape {t.ShapeText}; expected [{string.Join(", ", expected)}]");
    }

    private static ConversionException Fail(string where, string why) => new($"{where}: {why}.");
}
