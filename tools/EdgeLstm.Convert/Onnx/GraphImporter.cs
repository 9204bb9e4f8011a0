using EdgeLstm.Convert.Onnx.Proto;
using EdgeLstm.Core;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>
/// Turns an ONNX graph into a <see cref="RecurrentModel"/>. It walks the nodes in order and tracks what each value
/// means (sequence, final state, head vector, constant, run-time shape) instead of matching fixed node patterns, so
/// the Transpose/Squeeze/Reshape/Gather/Slice/Concat/Shape/ConstantOfShape glue that exporters emit around
/// <c>LSTM</c>/<c>GRU</c> nodes is understood in any order it is valid in. Anything it cannot map exactly onto the
/// engine fails with the node's name, op type and the reason.
/// </summary>
public sealed class GraphImporter
{
    private const int FloatType = 1;
    private readonly string _source;
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly List<RecurrentLayer> _layers = [];
    private int _opset = 13;
    private InputLayout? _layout;

    private GraphImporter(string source) => _source = source;

    /// <summary>Reads and imports an ONNX file.</summary>
    /// <exception cref="ConversionException">The file is not ONNX or holds something the engine cannot run.</exception>
    public static ImportedModel Import(string path) => Import(OnnxFile.Load(path), path);

    /// <summary>Imports a parsed ONNX model; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConversionException">The graph holds something the engine cannot run.</exception>
    public static ImportedModel Import(ModelProto model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new GraphImporter(source).Run(model);
    }

    private ImportedModel Run(ModelProto model)
    {
        GraphProto graph = model.Graph;
        if (!graph.Node.Any(RecurrentNodeReader.IsRecurrent))
            throw new ConversionException($"{_source}: the graph has no LSTM or GRU node; edgelstm-convert converts recurrent models only.");
        _opset = (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 13);
        foreach (TensorProto init in graph.Initializer)
            _values[init.Name] = new ConstantValue(TensorData.FromProto(init, $"{_source}: initializer '{init.Name}'"));

        ValueInfoProto input = SingleInput(graph);
        int? staticSteps = null;
        int? staticFeatures = null;
        if (input.Type?.TensorType is { } tensorType)
        {
            if (tensorType.ElemType != FloatType && tensorType.ElemType != 0)
                throw new ConversionException($"{_source}: input '{input.Name}' has ONNX element type {tensorType.ElemType}; the engine takes float32 inputs.");
            if (tensorType.Shape is { } shape && shape.Dim.Count != 3)
                throw new ConversionException($"{_source}: input '{input.Name}' has {shape.Dim.Count} dimensions; expected 3 (time, batch, channels in some order).");
            _staticDims = tensorType.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (long?)d.DimValue : null).ToArray();
        }
        _values[input.Name] = new SequenceValue([AxisRole.Input0, AxisRole.Input1, AxisRole.Input2], -1, 1, 0);

        EvaluateNodes(graph.Node, "");

        if (_layers.Count == 0)
            throw new ConversionException($"{_source}: the graph has no LSTM or GRU node; edgelstm-convert converts recurrent models only.");
        if (graph.Output.Count == 0) throw new ConversionException($"{_source}: the graph has no output.");
        string outputName = graph.Output[0].Name;
        RecurrentModel recurrent = BuildModel(outputName);
        if (_staticDims is not null)
        {
            staticSteps = _staticDims[_layout!.TimeAxis] is { } t and > 0 ? (int)t : null;
            staticFeatures = _staticDims[_layout.FeatureAxis] is { } f and > 0 ? (int)f : null;
            if (staticFeatures is { } features && features != recurrent.InputSize)
                throw new ConversionException($"{_source}: input '{input.Name}' has {features} channels but the first recurrent layer takes {recurrent.InputSize}.");
        }
        try
        {
            recurrent.Validate();
        }
        catch (InvalidModelException e)
        {
            throw new ConversionException($"{_source}: the converted model is inconsistent: {e.Message}", e);
        }
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto p in model.MetadataProps) props[p.Key] = p.Value;
        return new ImportedModel(recurrent, input.Name, outputName, _layout!, staticSteps, props);
    }

    private long?[]? _staticDims;

    private void EvaluateNodes(IReadOnlyList<NodeProto> nodes, string scope)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            NodeProto node = nodes[i];
            string where = $"{_source}: node '{(node.Name.Length > 0 ? node.Name : scope + "#" + i)}' ({node.OpType})";
            var inputs = new GraphValue?[node.Input.Count];
            for (int k = 0; k < inputs.Length; k++)
            {
                string name = node.Input[k];
                if (name.Length == 0) continue;
                if (!_values.TryGetValue(name, out GraphValue? value))
                    throw new ConversionException($"{where}: input '{name}' is not produced by any earlier node (the graph is not in topological order or is incomplete).");
                inputs[k] = value;
            }
            GraphValue[] outputs = node.OpType == "If" ? If(node, inputs, where) : Evaluate(node, inputs, where);
            for (int k = 0; k < node.Output.Count; k++)
                if (node.Output[k].Length > 0)
                    _values[node.Output[k]] = k < outputs.Length ? outputs[k] : new UnusableValue($"output {k} of node '{node.Name}' ({node.OpType}) is not supported");
        }
    }

    /// <summary>
    /// torch exports <c>squeeze(dim)</c> as If(shape[dim] == 1, Squeeze, Identity). When the importer knows the
    /// condition (it knows the sizes of the axes it tracks), it runs the chosen branch inline.
    /// </summary>
    private GraphValue[] If(NodeProto node, GraphValue?[] inputs, string where)
    {
        if (inputs.Length == 0 || inputs[0] is not ConstantValue { Tensor: var condition } || condition.ElementCount != 1)
            throw Fail(where, "branches on a value known only at run time; only conditions on known sizes (torch's squeeze(dim)) are supported");
        bool taken = condition.Integers is { } ints ? ints[0] != 0 : condition.Floats![0] != 0;
        string branchName = taken ? "then_branch" : "else_branch";
        GraphProto? branch = node.Attribute.FirstOrDefault(a => a.Name == branchName)?.G;
        if (branch is null) throw Fail(where, $"has no {branchName}");
        foreach (TensorProto init in branch.Initializer)
            _values[init.Name] = new ConstantValue(TensorData.FromProto(init, $"{where} {branchName} initializer '{init.Name}'"));
        EvaluateNodes(branch.Node, $"{node.Name}/{branchName}");
        return [.. branch.Output.Select(o => _values.TryGetValue(o.Name, out GraphValue? v) ? v : throw Fail(where, $"{branchName} output '{o.Name}' is not produced"))];
    }

    private ValueInfoProto SingleInput(GraphProto graph)
    {
        var initializers = new HashSet<string>(graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
        ValueInfoProto[] inputs = [.. graph.Input.Where(i => !initializers.Contains(i.Name))];
        return inputs.Length switch
        {
            1 => inputs[0],
            0 => throw new ConversionException($"{_source}: the graph has no input."),
            _ => throw new ConversionException($"{_source}: the graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); the engine takes one input sequence (initial states must be constants)."),
        };
    }

    private RecurrentModel BuildModel(string outputName)
    {
        GraphValue output = _values[outputName];
        string where = $"{_source}: output '{outputName}'";
        int last = _layers.Count - 1;
        if (output is not VectorValue vector)
        {
            string what = output switch
            {
                SequenceValue => "is a whole sequence; the model must end with the last time step (y[:, -1]) or the final state, optionally followed by a dense head",
                StateValue => "holds several final states; select the last layer's (h_n[-1]) or concatenate its directions",
                UnusableValue u => u.Reason,
                _ => "does not depend on the input sequence",
            };
            throw new ConversionException($"{where} {what}.");
        }
        HeadInput headInput;
        if (vector.LastStepLayer >= 0)
        {
            if (vector.LastStepLayer != last)
                throw new ConversionException($"{where} reads recurrent layer {vector.LastStepLayer} but the last layer is {last}; the head must follow the last layer.");
            headInput = HeadInput.LastStep;
        }
        else
        {
            RecurrentLayer lastLayer = _layers[last];
            bool complete = vector.Parts.Count == lastLayer.DirectionCount
                && vector.Parts.Select((p, i) => p.Layer == last && p.Direction == i).All(ok => ok);
            if (!complete)
                throw new ConversionException($"{where} uses final states [{string.Join(", ", vector.Parts.Select(p => $"layer {p.Layer} direction {p.Direction}"))}]; the engine's head takes all directions of the last layer, forward first.");
            headInput = HeadInput.FinalState;
        }
        if (vector.Axes is not [AxisRole.Batch, AxisRole.Feature])
            throw new ConversionException($"{where} has axes [{string.Join(", ", vector.Axes)}]; expected [batch, features].");
        RecurrentModel draft = new(_layers.ToArray(), vector.Head.ToArray(), headInput, ModelMetadata.CreateDefault(_layers[0].InputSize, 1));
        ActivationKind lastActivation = vector.Head.Count > 0 ? vector.Head[^1].Activation : ActivationKind.None;
        OutputKind kind = lastActivation == ActivationKind.Softmax ? OutputKind.Classifier : OutputKind.Regressor;
        return draft with { Metadata = ModelMetadata.CreateDefault(draft.InputSize, draft.OutputSize, kind) with { Mode = draft.CanStream ? ExecutionMode.Streaming : ExecutionMode.Windowed } };
    }

    private GraphValue[] Evaluate(NodeProto node, GraphValue?[] inputs, string where)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw Fail(where, $"operator domain '{node.Domain}' is not supported; only standard ONNX operators are");
        if (RecurrentNodeReader.IsRecurrent(node)) return Recurrent(node, inputs, where);
        if (node.OpType == "Constant") return [ConstantNode(node, where)];
        foreach (GraphValue? v in inputs)
            if (v is UnusableValue u) throw Fail(where, u.Reason);
        bool carriesData = inputs.Any(v => v is SequenceValue or StateValue or VectorValue);
        if (!carriesData) return [ShapeOp(node, inputs, where)];
        if (node.OpType == "Shape" && !new NodeAttributes(node, where).Has("start") && !new NodeAttributes(node, where).Has("end") && inputs[0] is { } shaped)
            return [new ShapeOfValue(shaped)];
        if (node.OpType is "Shape" or "Size") return [new RuntimeShapeValue()];
        if (node.OpType is "Identity" or "Dropout" or "Cast" && inputs[0] is { } passed)
        {
            if (node.OpType == "Cast" && new NodeAttributes(node, where).Int("to", FloatType) != FloatType)
                throw Fail(where, "casts the data to a type other than float32");
            return [passed, new UnusableValue($"the dropout mask of node '{node.Name}' is not supported")];
        }
        // Add is commutative: torch writes the bias first.
        if (node.OpType == "Add" && inputs.Length == 2 && inputs[0] is ConstantValue && inputs[1] is SequenceValue or VectorValue)
            inputs = [inputs[1], inputs[0]];
        return inputs[0] switch
        {
            SequenceValue s => [SequenceOp(node, s, inputs, where)],
            StateValue s => [StateOp(node, s, inputs, where)],
            VectorValue v => [VectorOp(node, v, inputs, where)],
            _ => throw Fail(where, "combines the data with computed values in a way the engine cannot run"),
        };
    }

    // ---- recurrent nodes -------------------------------------------------------------------------------

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

    // ---- constants and shape arithmetic ----------------------------------------------------------------

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

    private static GraphValue ShapeOp(NodeProto node, GraphValue?[] inputs, string where)
    {
        if (!ShapeOps.Contains(node.OpType)) throw Unsupported(node, where);
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

    // ---- sequences -----------------------------------------------------------------------------------

    private SequenceValue InputSequenceCheck(SequenceValue s, NodeProto node, string where)
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
                    else if (role == AxisRole.Time && s.LastStepOnly) toVector = true;
                    else throw Fail(where, $"squeezes the {Describe(role)} axis, which does not have size 1 here");
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
                if (axes.Length != 1 || s.Axes[axes[0]] != AxisRole.Time || starts[0] != -1 || ends[0] < int.MaxValue || steps[0] != 1)
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

    private SequenceValue ReshapeSequence(SequenceValue s, long[] target, string where)
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
                if (i != dirAxis && target[i] == -1 && merged == -1)
                    throw Fail(where, "has two inferred (-1) dimensions");
            return s with { Axes = s.Axes.Where((_, i) => i != featAxis).Select((r, i) => i == dirAxis ? AxisRole.Feature : r).ToArray(), Features = s.Directions * s.Features };
        }
        if (target.Length == s.Axes.Length && featAxis >= 0 && target[featAxis] is -1 or 0 || target.Length == s.Axes.Length && featAxis >= 0 && target[featAxis] == s.Features)
        {
            for (int i = 0; i < target.Length; i++)
                if (i != featAxis && target[i] is not (0 or -1) && s.Axes[i] == AxisRole.Direction && target[i] != s.Directions)
                    throw Fail(where, "reshapes the direction axis");
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

    // ---- final states --------------------------------------------------------------------------------

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

    // ---- head vectors --------------------------------------------------------------------------------

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
            for (int c = 0; c < cols; c++)
                w[c * rows + r] = values[r * cols + c];
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

    // ---- helpers -------------------------------------------------------------------------------------

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
        return [.. axes.Select(a => (long)NormalizeAxis(a, rank, where))];
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
