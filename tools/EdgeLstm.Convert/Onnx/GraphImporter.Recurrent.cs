using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>LSTM/GRU nodes: the chain of recurrent layers and the values they produce.</summary>
public sealed partial class GraphImporter
{
    private GraphValue[] Recurrent(NodeProto node, GraphValue?[] inputs, string where)
    {
        RecurrentNode read = RecurrentNodeReader.Read(node, inputs, null, where);
        if (read.SequenceLengths is not null)
            throw Fail(where, "sequence_lens is not supported; export without packed sequences (every sequence runs all its steps)");
        if (inputs.Length == 0 || inputs[0] is not SequenceValue x)
            throw Fail(where, "its input X is not the model input or the output of the previous recurrent layer");
        if (x.Layer != _layers.Count - 1)
            throw Fail(where, $"reads the output of layer {x.Layer} but {_layers.Count} layers precede it; only a plain stack of recurrent layers is supported");
        if (x.LastStepOnly) throw Fail(where, "its input X has been cut to the last time step");
        if (x.DenseLayers.Count > 0) throw Fail(where, "its input X has passed through a dense layer; only recurrent layers may be stacked");
        if (x.HasDirectionAxis) throw Fail(where, "its input X still has the direction axis of a bidirectional layer; it must be merged into the features (Transpose + Reshape)");
        AxisRole[] expected = read.Layout == 0 ? [AxisRole.Time, AxisRole.Batch, AxisRole.Feature] : [AxisRole.Batch, AxisRole.Time, AxisRole.Feature];
        if (x.Layer < 0)
        {
            // The graph input: its axes are now known.
            if (x.Axes.Length != 3) throw Fail(where, $"its input X has {x.Axes.Length} dimensions; expected 3");
            int Original(AxisRole role) => x.Axes[Array.IndexOf(expected, role)] - AxisRole.Input0;
            _layout = new InputLayout(Original(AxisRole.Time), Original(AxisRole.Batch), Original(AxisRole.Feature));
        }
        else
        {
            if (!x.Axes.AsSpan().SequenceEqual(expected))
                throw Fail(where, $"its input X has axes [{string.Join(", ", x.Axes)}] but layout {read.Layout} expects [{string.Join(", ", expected)}]");
            if (x.Features != read.Layer.InputSize)
                throw Fail(where, $"W takes {read.Layer.InputSize} inputs but the previous layer produces {x.Features}");
        }
        int index = _layers.Count;
        _layers.Add(read.Layer);
        int dirs = read.Layer.DirectionCount;
        AxisRole[] yAxes = read.Layout == 0
            ? [AxisRole.Time, AxisRole.Direction, AxisRole.Batch, AxisRole.Feature]
            : [AxisRole.Batch, AxisRole.Time, AxisRole.Direction, AxisRole.Feature];
        AxisRole[] hAxes = read.Layout == 0
            ? [AxisRole.Direction, AxisRole.Batch, AxisRole.Feature]
            : [AxisRole.Batch, AxisRole.Direction, AxisRole.Feature];
        StatePart[] parts = [.. Enumerable.Range(0, dirs).Select(d => new StatePart(index, d))];
        return
        [
            new SequenceValue(yAxes, index, dirs, read.Layer.HiddenSize),
            new StateValue(hAxes, parts, read.Layer.HiddenSize),
            new UnusableValue($"the cell state output Y_c of node '{node.Name}' is not supported; use Y or Y_h"),
        ];
    }
}
