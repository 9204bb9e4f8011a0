namespace EdgeLstm.Core.Model;

/// <summary>
/// What running a model on the EdgeLstm engine holds in memory, in bytes, computed from its fields alone (before
/// anything is allocated): the weights as loaded plus the copy the fused LSTM kernels pack for themselves, the
/// state and per-step scratch, and the window buffers (a windowed model's ring, its time-ordered copy and each
/// layer's sequence). An estimate to within the kernels' padding; the process's own code and runtime come on top.
/// </summary>
/// <param name="WeightBytes">Weights, biases, scales and peepholes, with the fused kernels' packed copies.</param>
/// <param name="StateBytes">Hidden and cell states, gate scratch and the dense head's buffers.</param>
/// <param name="WindowBytes">Buffers sized by the window length (one step for a streaming model).</param>
public readonly record struct ModelMemory(long WeightBytes, long StateBytes, long WindowBytes)
{
    /// <summary>Everything together.</summary>
    public long TotalBytes => WeightBytes + StateBytes + WindowBytes;

    /// <summary>
    /// The steps the runtime's window buffers hold: the metadata's window length for a model that runs on windows
    /// (windowed mode, or a reverse layer), 1 for a streaming one.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The steps.</returns>
    public static int WindowSteps(RecurrentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Metadata.Mode == ExecutionMode.Windowed || !model.CanStream ? model.Metadata.WindowLength : 1;
    }

    /// <summary>The widest buffer one window step fills: a layer's output or gate pre-activations, its padded input, or the channels.</summary>
    /// <param name="model">The model (its layer shapes need not have been validated; sizes are read as they are).</param>
    /// <returns>Values per step.</returns>
    public static long WidestStep(RecurrentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long widest = model.Metadata?.Channels?.Count ?? 0;
        foreach (RecurrentLayer layer in model.Layers)
        {
            widest = Math.Max(widest, (long)layer.HiddenSize * layer.DirectionCount);
            widest = Math.Max(widest, Padded(layer.HiddenSize, 8) * layer.GateCount);
            widest = Math.Max(widest, Padded(layer.InputSize, 16));
        }
        return widest;
    }

    /// <summary>The memory a (validated) model needs on the EdgeLstm engine.</summary>
    /// <param name="model">The model.</param>
    /// <returns>Its need, by kind.</returns>
    public static ModelMemory Of(RecurrentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        long steps = WindowSteps(model);
        long weights = 0, state = 0, window = 0;
        foreach (RecurrentLayer layer in model.Layers)
        {
            long hidden = layer.HiddenSize, gateRows = (long)layer.GateCount * layer.HiddenSize;
            for (int d = 0; d < layer.DirectionCount; d++)
            {
                DirectionWeights w = layer.Directions[d];
                long matrices = Bytes(w.W) + Bytes(w.R);
                weights += matrices + Bytes(w.InputBias) + Bytes(w.RecurrenceBias) + Bytes(w.Peepholes) + Bytes(w.InitialHidden) + Bytes(w.InitialCell);
                bool plainLstm = layer.Kind == RecurrentKind.Lstm && w.Peepholes is null;
                long projection = Padded(layer.HiddenSize, 8) * layer.GateCount;
                if (plainLstm)
                {
                    // The fused kernels pack W, R and the combined bias into their own layout.
                    weights += matrices + projection * sizeof(float);
                    // int8: quantized input (signed and biased) and one scale per step; both: the projection.
                    window += steps * (projection * sizeof(float) + (w.W.Precision == ModelPrecision.Int8 ? 2 * Padded(layer.InputSize, 16) + sizeof(float) : 0));
                }
                // Stream and window h and c; gate scratch and the general cell's temporaries.
                state += (4 * hidden + 2 * gateRows + 2 * hidden) * sizeof(float);
            }
        }
        foreach (DenseLayer dense in model.Head) weights += Bytes(dense.W) + Bytes(dense.Bias);
        long headWidth = Math.Max(model.Layers[^1].OutputSize, model.Head.Count > 0 ? model.Head.Max(d => d.OutputSize) : 0);
        state += 3 * headWidth * sizeof(float);
        long widestLayer = model.Layers.Max(l => (long)l.OutputSize);
        long channels = model.InputSize;
        // Two sequences (layers alternate), and the runtime's ring and time-ordered window of normalized samples.
        window += steps * (2 * widestLayer + 2 * channels) * sizeof(float);
        return new ModelMemory(weights, state, window);
    }

    private static long Padded(int value, int to) => ((long)value + to - 1) / to * to;

    private static long Bytes(float[]? values) => values is null ? 0 : (long)values.Length * sizeof(float);

    private static long Bytes(WeightMatrix m) => m.Values is not null
        ? (long)m.Values.Length * sizeof(float)
        : m.Quantized!.LongLength + (long)m.RowScales!.Length * sizeof(float);
}
