using System.Globalization;
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
public sealed partial class GraphImporter
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
        {
            var tensor = new ConstantValue(TensorData.FromProto(init, $"{_source}: initializer '{init.Name}'"));
            _values[init.Name] = tensor;
            _fileElements += tensor.Tensor.ElementCount;
        }

        ValueInfoProto input = SingleInput(graph);
        int? staticSteps = null;
        int? staticFeatures = null;
        string inputShape = "";
        if (input.Type?.TensorType is { } tensorType)
        {
            if (tensorType.ElemType != FloatType && tensorType.ElemType != 0)
                throw new ConversionException($"{_source}: input '{input.Name}' has ONNX element type {tensorType.ElemType}; the engine takes float32 inputs.");
            if (tensorType.Shape is { } shape && shape.Dim.Count != 3)
                throw new ConversionException($"{_source}: input '{input.Name}' has {shape.Dim.Count} dimensions; expected 3 (time, batch, channels in some order).");
            _staticDims = tensorType.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (long?)d.DimValue : null).ToArray();
            if (tensorType.Shape is { } dims)
            {
                inputShape = "[" + string.Join(", ", dims.Dim.Select(d => d.ValueCase switch
                {
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(CultureInfo.InvariantCulture),
                    TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
                    _ => "?",
                })) + "]";
            }
        }
        _values[input.Name] = new SequenceValue([AxisRole.Input0, AxisRole.Input1, AxisRole.Input2], -1, 1, 0);

        _needed = NeededValues(graph);
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
        foreach (StringStringEntryProto p in model.MetadataProps)
        {
            if (props.TryGetValue(p.Key, out string? earlier) && p.Key.StartsWith("edgelstm.", StringComparison.Ordinal))
                throw new ConversionException($"{_source}: metadata_props has '{p.Key}' twice ('{earlier}' and '{p.Value}'); keep one.");
            props[p.Key] = p.Value;
        }
        return new ImportedModel(recurrent, input.Name, outputName, _layout!, staticSteps, props, inputShape);
    }

    private long?[]? _staticDims;
    private HashSet<string> _needed = [];
    private long _foldedElements;
    private long _fileElements;

    /// <summary>
    /// What constant folding may produce in all: exporters copy each weight a few times on its way into W, R and B, so
    /// eight times the file's own constants (at least 16 M values, at most <see cref="ConstantFolding.MaxElements"/>).
    /// </summary>
    private long FoldingBudget => Math.Clamp(8 * _fileElements, 1L << 24, ConstantFolding.MaxElements);

    /// <summary>
    /// The values the graph's outputs and its LSTM/GRU nodes depend on. Other nodes are not evaluated, so constant glue
    /// nothing uses is never folded (a small file could otherwise ask for gigabytes of folded tensors).
    /// </summary>
    private static HashSet<string> NeededValues(GraphProto graph)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            NodeProto node = graph.Node[i];
            if (RecurrentNodeReader.IsRecurrent(node) || node.Output.Any(needed.Contains)) AddInputs(node, needed);
        }

        return needed;

        static void AddInputs(NodeProto node, HashSet<string> needed)
        {
            foreach (string name in node.Input) needed.Add(name);
            // A branch reads outer values by name: everything its nodes read is needed too.
            foreach (AttributeProto attribute in node.Attribute)
            {
                if (attribute.G is not { } branch) continue;
                foreach (NodeProto inner in branch.Node) AddInputs(inner, needed);
            }
        }
    }

    /// <summary>Counts what constant folding has produced; all of it together stays within <see cref="FoldingBudget"/>.</summary>
    private void CountFolded(long elements, string where)
    {
        _foldedElements += elements;
        if (_foldedElements > FoldingBudget)
        {
            throw new ConversionException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: the graph's folded constants would hold {_foldedElements:N0} values, more than eight times the file's own {_fileElements:N0} (at least {1L << 24:N0}); an exporter's glue never needs that many."));
        }
    }

    private void EvaluateNodes(IReadOnlyList<NodeProto> nodes, string scope)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            NodeProto node = nodes[i];
            string where = $"{_source}: node '{(node.Name.Length > 0 ? node.Name : scope + "#" + i)}' ({node.OpType})";
            if (scope.Length == 0 && !RecurrentNodeReader.IsRecurrent(node) && !node.Output.Any(_needed.Contains))
            {
                // Nothing the model is made of depends on it: skipped, not folded.
                foreach (string output in node.Output)
                {
                    if (output.Length > 0) _values[output] = new UnusableValue($"'{output}' of node '{node.Name}' ({node.OpType}) is not used by the graph's output");
                }

                continue;
            }

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
            {
                if (node.Output[k].Length > 0)
                    _values[node.Output[k]] = k < outputs.Length ? outputs[k] : new UnusableValue($"output {k} of node '{node.Name}' ({node.OpType}) is not supported");
            }
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
        string where = $"{_source}: output '{outputName}'";
        if (!_values.TryGetValue(outputName, out GraphValue? output))
            throw new ConversionException($"{where} is not produced by any node or initializer.");
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
        if (!carriesData) return [ShapeOp(node, inputs, _opset, where)];
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
}
