using System.Globalization;

namespace EdgeLstm.Core.Model;

/// <summary>
/// A recurrent fault-prediction model: stacked LSTM/GRU layers, a dense head and the metadata the runtime
/// needs. Construct it, then call <see cref="Validate"/> (the file loader and <see cref="EdgeLstm.Core.Engine.Predictor"/> do).
/// </summary>
/// <param name="Layers">Recurrent layers, first to last; at least one.</param>
/// <param name="Head">Dense layers after the last recurrent layer; may be empty (output = hidden state).</param>
/// <param name="HeadInput">Which of the last layer's outputs feeds the head.</param>
/// <param name="Metadata">Channels, outputs, execution mode.</param>
public sealed record RecurrentModel(
    IReadOnlyList<RecurrentLayer> Layers,
    IReadOnlyList<DenseLayer> Head,
    HeadInput HeadInput,
    ModelMetadata Metadata)
{
    /// <summary>Largest accepted hidden size, input size or dense width: larger is a corrupt file, not a model for a Pi.</summary>
    public const int MaxDimension = 8192;

    /// <summary>Largest accepted number of recurrent or dense layers.</summary>
    public const int MaxLayers = 64;

    /// <summary>Features per time step the model takes.</summary>
    public int InputSize => Layers[0].InputSize;

    /// <summary>Values the model produces per prediction.</summary>
    public int OutputSize => Head.Count > 0 ? Head[^1].OutputSize : Layers[^1].OutputSize;

    /// <summary>Int8 when the recurrent layers are quantized, float32 otherwise.</summary>
    public ModelPrecision Precision => Layers.Count > 0 ? Layers[0].Directions[0].W.Precision : ModelPrecision.Float32;

    /// <summary>True when every layer runs forward, so the model can run one sample at a time.</summary>
    public bool CanStream
    {
        get
        {
            // Indexed, not LINQ: All() on a list that is neither an array nor a List<T> (a collection expression's
            // own type, a ReadOnlyCollection) allocates an enumerator on every call.
            for (int l = 0; l < Layers.Count; l++)
            {
                if (Layers[l].Direction != RecurrentDirection.Forward) return false;
            }
            return true;
        }
    }

    /// <summary>Multiply–accumulates per streaming step (recurrent layers and head).</summary>
    public long MacsPerStep =>
        Layers.Sum(l => (long)l.DirectionCount * l.GateCount * l.HiddenSize * (l.InputSize + l.HiddenSize))
        + Head.Sum(d => (long)d.InputSize * d.OutputSize);

    /// <summary>
    /// Returns the int8 version of this model: recurrent and dense weights quantized symmetrically per output
    /// row; biases, peepholes and states stay float32. An int8 model is returned as it is.
    /// </summary>
    public RecurrentModel Quantize() => this with
    {
        Layers = Layers.Select(l => l with
        {
            Directions = l.Directions.Select(d => d with { W = d.W.Quantize(), R = d.R.Quantize() }).ToArray(),
        }).ToArray(),
        Head = Head.Select(d => d with { W = d.W.Quantize() }).ToArray(),
    };

    /// <summary>
    /// Checks every shape, size and value; throws <see cref="InvalidModelException"/> naming the first
    /// problem and where it is (e.g. <c>layers[1].directions[0].R</c>).
    /// </summary>
    public void Validate()
    {
        Require(Layers is { Count: > 0 }, "model", "has no recurrent layer");
        Require(Layers.Count <= MaxLayers, "layers", $"has {Layers.Count} layers; at most {MaxLayers} are accepted");
        Require(Head is not null && Head.Count <= MaxLayers, "head", $"must hold at most {MaxLayers} dense layers");
        Require(Metadata is not null, "metadata", "is missing");
        ModelPrecision precision = Precision;
        int expectedInput = Layers[0].InputSize;
        for (int l = 0; l < Layers.Count; l++)
        {
            string where = $"layers[{l}]";
            RecurrentLayer layer = Layers[l];
            Require(layer is not null, where, "is missing");
            Require(Enum.IsDefined(layer!.Kind), where, $"has unknown cell kind {(int)layer.Kind}");
            Require(Enum.IsDefined(layer.Direction), where, $"has unknown direction {(int)layer.Direction}");
            CheckDimension(layer.InputSize, where + ".inputSize");
            CheckDimension(layer.HiddenSize, where + ".hiddenSize");
            Require(layer.InputSize == expectedInput, where,
                $"takes {layer.InputSize} inputs but the layer before it produces {expectedInput}");
            Require(float.IsFinite(layer.Clip) && layer.Clip >= 0, where + ".clip", $"is {layer.Clip}; it must be 0 (off) or a positive number");
            Require(layer.Directions is not null && layer.Directions.Count == layer.DirectionCount, where + ".directions",
                $"has {layer.Directions?.Count ?? 0} entries; a {layer.Direction} layer needs {layer.DirectionCount}");
            Require(layer.Activations is not null && layer.Activations.Count == layer.ActivationsPerDirection * layer.DirectionCount,
                where + ".activations", $"has {layer.Activations?.Count ?? 0} entries; expected {layer.ActivationsPerDirection * layer.DirectionCount}");
            foreach (ActivationKind a in layer.Activations!)
            {
                Require(a is ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Relu, where + ".activations",
                    $"contains {a}; recurrent gates support Sigmoid, Tanh and Relu");
            }

            Require(layer.Kind == RecurrentKind.Gru || !layer.LinearBeforeReset, where, "sets linearBeforeReset on an LSTM");
            int gateRows = layer.GateCount * layer.HiddenSize;
            for (int d = 0; d < layer.DirectionCount; d++)
            {
                string dw = $"{where}.directions[{d}]";
                DirectionWeights w = layer.Directions![d];
                Require(w is not null, dw, "is missing");
                CheckMatrix(w!.W, gateRows, layer.InputSize, dw + ".W", precision);
                CheckMatrix(w.R, gateRows, layer.HiddenSize, dw + ".R", precision);
                CheckVector(w.InputBias, gateRows, dw + ".Wb");
                CheckVector(w.RecurrenceBias, gateRows, dw + ".Rb");
                if (w.Peepholes is not null)
                {
                    Require(layer.Kind == RecurrentKind.Lstm, dw + ".P", "peepholes exist only for LSTM");
                    CheckVector(w.Peepholes, 3 * layer.HiddenSize, dw + ".P");
                }
                if (w.InitialHidden is not null) CheckVector(w.InitialHidden, layer.HiddenSize, dw + ".initialH");
                if (w.InitialCell is not null)
                {
                    Require(layer.Kind == RecurrentKind.Lstm, dw + ".initialC", "a cell state exists only for LSTM");
                    CheckVector(w.InitialCell, layer.HiddenSize, dw + ".initialC");
                }
            }
            expectedInput = layer.OutputSize;
        }
        for (int h = 0; h < Head!.Count; h++)
        {
            string where = $"head[{h}]";
            DenseLayer dense = Head[h];
            Require(dense is not null, where, "is missing");
            Require(Enum.IsDefined(dense!.Activation), where, $"has unknown activation {(int)dense.Activation}");
            CheckDimension(dense.W.Rows, where + ".outputs");
            Require(dense.W.Columns == expectedInput, where, $"takes {dense.W.Columns} inputs but receives {expectedInput}");
            CheckMatrix(dense.W, dense.W.Rows, expectedInput, where + ".W", precision);
            CheckVector(dense.Bias, dense.W.Rows, where + ".bias");
            expectedInput = dense.W.Rows;
        }
        Require(Enum.IsDefined(HeadInput), "headInput", $"has unknown value {(int)HeadInput}");
        ValidateMetadata();
    }

    private void ValidateMetadata()
    {
        ModelMetadata m = Metadata;
        Require(m.Channels is not null && m.Channels.Count == InputSize, "metadata.channels",
            $"lists {m.Channels?.Count ?? 0} channels but the model takes {InputSize} inputs");
        Require(m.OutputNames is not null && m.OutputNames.Count == OutputSize, "metadata.outputs",
            $"lists {m.OutputNames?.Count ?? 0} names but the model produces {OutputSize} outputs");
        Require(Enum.IsDefined(m.OutputKind), "metadata.outputKind", $"has unknown value {(int)m.OutputKind}");
        Require(Enum.IsDefined(m.Mode), "metadata.mode", $"has unknown value {(int)m.Mode}");
        Require(m.WindowLength is >= 1 and <= ModelMetadata.MaxWindowLength, "metadata.windowLength", $"is {m.WindowLength}; it must be 1 to {ModelMetadata.MaxWindowLength}");
        Require(m.Stride is >= 1 and <= ModelMetadata.MaxWindowLength, "metadata.stride", $"is {m.Stride}; it must be 1 to {ModelMetadata.MaxWindowLength}");
        Require(float.IsFinite(m.SampleRateHz) && m.SampleRateHz is >= 0 and <= ModelMetadata.MaxSampleRateHz, "metadata.sampleRateHz",
            $"is {m.SampleRateHz.ToString(CultureInfo.InvariantCulture)}; it must be 0 (unknown) or a rate up to 1 MHz");
        Require(m.Mode == ExecutionMode.Windowed || CanStream, "metadata.mode",
            "is Streaming but a layer runs in reverse or both directions; such a model must run on windows");
        Require(InputSize <= ModelLimits.MaxChannels, "layers[0].inputSize",
            $"is {InputSize}; a model takes at most {ModelLimits.MaxChannels} channels (each is a field of every Health frame)");
        Require(OutputSize <= ModelLimits.MaxOutputs, "outputs",
            $"are {OutputSize}; a model produces at most {ModelLimits.MaxOutputs} (each is a field of every Prediction frame)");
        long steps = ModelMemory.WindowSteps(this), widest = ModelMemory.WidestStep(this);
        Require(steps * widest <= ModelLimits.MaxWindowValues, "metadata.windowLength",
            $"is {m.WindowLength}: {m.WindowLength} steps × {widest} values in the widest per-step buffer is {steps * widest} values; at most {ModelLimits.MaxWindowValues} are accepted");
        RequireName(m.Name, "metadata.name");
        for (int o = 0; o < m.OutputNames!.Count; o++) RequireName(m.OutputNames[o], $"metadata.outputs[{o}]");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < m.Channels!.Count; c++)
        {
            ChannelInfo ch = m.Channels[c];
            string where = $"metadata.channels[{c}]";
            Require(ch is not null && !string.IsNullOrWhiteSpace(ch.Name), where, "has no name");
            Require(names.Add(ch!.Name), where, $"repeats the channel name '{ch.Name}'");
            RequireName(ch.Name, where + ".name");
            RequireName(ch.Unit, where + ".unit");
            if (ModelLimits.NormalizationProblem(ch, where) is { } normalization) throw new InvalidModelException(normalization + ".");
        }
    }

    private static void RequireName(string? name, string where)
    {
        if (ModelLimits.NameProblem(name, where) is { } problem) throw new InvalidModelException(problem + ".");
    }

    private static void CheckDimension(int value, string where) =>
        Require(value is >= 1 and <= MaxDimension, where, $"is {value}; it must be 1 to {MaxDimension}");

    private static void CheckMatrix(WeightMatrix? m, int rows, int columns, string where, ModelPrecision precision)
    {
        Require(m is not null, where, "is missing");
        Require(m!.Rows == rows && m.Columns == columns, where, $"is {m.Rows}x{m.Columns}; expected {rows}x{columns}");
        Require(m.Precision == precision, where, $"is {m.Precision} but the model is {precision}; all weights share one precision");
        if (m.Values is not null)
        {
            CheckFinite(m.Values, where);
        }
        else
        {
            CheckFinite(m.RowScales!, where + ".scales");
            for (int r = 0; r < m.RowScales!.Length; r++)
                Require(m.RowScales[r] >= 0, where + ".scales", $"row {r} has negative scale {m.RowScales[r]}");
            int bad = Array.IndexOf(m.Quantized!, sbyte.MinValue);
            Require(bad < 0, where, $"element {bad} is -128; int8 weights are symmetric in [-127, 127]");
        }
    }

    private static void CheckVector(float[]? v, int length, string where)
    {
        Require(v is not null, where, "is missing");
        Require(v!.Length == length, where, $"has {v.Length} values; expected {length}");
        CheckFinite(v, where);
    }

    private static void CheckFinite(float[] values, string where)
    {
        for (int i = 0; i < values.Length; i++)
            Require(float.IsFinite(values[i]), where, $"element {i} is {values[i].ToString(CultureInfo.InvariantCulture)}; weights must be finite");
    }

    private static void Require(bool condition, string where, string problem)
    {
        if (!condition) throw new InvalidModelException($"{where} {problem}.");
    }
}
