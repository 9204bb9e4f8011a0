namespace EdgeLstm.Core.Model;

/// <summary>
/// The weights of one direction of a recurrent layer, in ONNX layout and gate order
/// (LSTM: i, o, f, c; GRU: z, r, h).
/// </summary>
/// <param name="W">Input weights, [gates·H, I].</param>
/// <param name="R">Recurrence weights, [gates·H, H].</param>
/// <param name="InputBias">Wb, [gates·H].</param>
/// <param name="RecurrenceBias">Rb, [gates·H].</param>
/// <param name="Peepholes">LSTM only, optional: P = [i, o, f], [3·H].</param>
/// <param name="InitialHidden">Optional initial hidden state, [H]; zeros when null.</param>
/// <param name="InitialCell">LSTM only, optional initial cell state, [H]; zeros when null.</param>
public sealed record DirectionWeights(
    WeightMatrix W,
    WeightMatrix R,
    float[] InputBias,
    float[] RecurrenceBias,
    float[]? Peepholes = null,
    float[]? InitialHidden = null,
    float[]? InitialCell = null);

/// <summary>One recurrent layer with ONNX <c>LSTM</c>/<c>GRU</c> semantics.</summary>
/// <param name="Kind">LSTM or GRU.</param>
/// <param name="Direction">Forward, reverse or bidirectional.</param>
/// <param name="InputSize">I: features per time step entering this layer.</param>
/// <param name="HiddenSize">H: hidden units per direction.</param>
/// <param name="Directions">One entry per direction (forward first), two for bidirectional.</param>
/// <param name="Activations">
/// Per direction, ONNX <c>activations</c>: LSTM f, g, h (default Sigmoid, Tanh, Tanh); GRU f, g (default Sigmoid, Tanh).
/// Length 3 or 2 times the number of directions.
/// </param>
/// <param name="Clip">ONNX <c>clip</c>: gate pre-activations are clamped to [-Clip, Clip]; 0 means no clipping.</param>
/// <param name="LinearBeforeReset">GRU only: apply the reset gate after the recurrence matmul (PyTorch exports 1).</param>
public sealed record RecurrentLayer(
    RecurrentKind Kind,
    RecurrentDirection Direction,
    int InputSize,
    int HiddenSize,
    IReadOnlyList<DirectionWeights> Directions,
    IReadOnlyList<ActivationKind> Activations,
    float Clip = 0,
    bool LinearBeforeReset = false)
{
    /// <summary>Gates per direction: 4 for LSTM, 3 for GRU.</summary>
    public int GateCount => Kind == RecurrentKind.Lstm ? 4 : 3;

    /// <summary>Activations per direction: 3 for LSTM, 2 for GRU.</summary>
    public int ActivationsPerDirection => Kind == RecurrentKind.Lstm ? 3 : 2;

    /// <summary>1, or 2 for bidirectional.</summary>
    public int DirectionCount => Direction == RecurrentDirection.Bidirectional ? 2 : 1;

    /// <summary>Features per time step leaving this layer: H times the number of directions.</summary>
    public int OutputSize => HiddenSize * DirectionCount;

    /// <summary>
    /// True when direction <paramref name="direction"/> is an LSTM with the default activations (σ, tanh, tanh), no
    /// peepholes and W and R in <paramref name="precision"/> — what PyTorch and Keras export, and what the fused cells run.
    /// </summary>
    internal bool IsPlainLstm(int direction, ModelPrecision precision)
    {
        int k = direction * ActivationsPerDirection;
        DirectionWeights weights = Directions[direction];
        return Kind == RecurrentKind.Lstm && weights.Peepholes is null &&
            weights.W.Precision == precision && weights.R.Precision == precision &&
            Activations[k] == ActivationKind.Sigmoid && Activations[k + 1] == ActivationKind.Tanh && Activations[k + 2] == ActivationKind.Tanh;
    }

    /// <summary>The ONNX default activations for a cell kind and direction count.</summary>
    public static IReadOnlyList<ActivationKind> DefaultActivations(RecurrentKind kind, int directionCount)
    {
        ActivationKind[] one = kind == RecurrentKind.Lstm
            ? [ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Tanh]
            : [ActivationKind.Sigmoid, ActivationKind.Tanh];
        return directionCount == 1 ? one : [.. one, .. one];
    }
}

/// <summary>A dense layer with ONNX <c>Gemm</c> semantics: y = act(W·x + b).</summary>
/// <param name="W">Weights, [outputs, inputs].</param>
/// <param name="Bias">Bias, [outputs].</param>
/// <param name="Activation">Applied to the output.</param>
public sealed record DenseLayer(WeightMatrix W, float[] Bias, ActivationKind Activation)
{
    /// <summary>Inputs of the layer.</summary>
    public int InputSize => W.Columns;

    /// <summary>Outputs of the layer.</summary>
    public int OutputSize => W.Rows;
}
