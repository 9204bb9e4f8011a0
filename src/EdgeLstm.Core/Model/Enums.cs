namespace EdgeLstm.Core.Model;

/// <summary>The recurrent cell of a layer.</summary>
public enum RecurrentKind : byte
{
    /// <summary>ONNX <c>LSTM</c>: gates i, o, f, c.</summary>
    Lstm = 0,
    /// <summary>ONNX <c>GRU</c>: gates z, r, h.</summary>
    Gru = 1,
}

/// <summary>Which way a recurrent layer walks the sequence (ONNX <c>direction</c>).</summary>
public enum RecurrentDirection : byte
{
    /// <summary>From the first time step to the last; the only direction that can stream.</summary>
    Forward = 0,
    /// <summary>From the last time step to the first.</summary>
    Reverse = 1,
    /// <summary>Both; the output concatenates the forward and the reverse hidden states.</summary>
    Bidirectional = 2,
}

/// <summary>An element-wise function applied to a gate, a cell or a dense layer's output.</summary>
public enum ActivationKind : byte
{
    /// <summary>Identity (dense layers only).</summary>
    None = 0,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid = 1,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 2,
    /// <summary>max(0, x); Keras models use it as <c>activation='relu'</c>.</summary>
    Relu = 3,
    /// <summary>Softmax over the whole output vector (dense layers only).</summary>
    Softmax = 4,
}

/// <summary>How the weights of a model are stored and computed.</summary>
public enum ModelPrecision : byte
{
    /// <summary>32-bit floats everywhere: the reference.</summary>
    Float32 = 0,
    /// <summary>Weights int8, symmetric per output row; inputs and hidden states quantized per step; int32 accumulation.</summary>
    Int8 = 1,
}

/// <summary>What feeds the dense head.</summary>
public enum HeadInput : byte
{
    /// <summary>One time step of the last recurrent layer's output <c>Y</c> (PyTorch's <c>y[:, -1, :]</c>).</summary>
    LastStep = 0,
    /// <summary>The final hidden states <c>Y_h</c>: forward after step T-1, reverse after step 0.</summary>
    FinalState = 1,
}

/// <summary>What the model's outputs mean.</summary>
public enum OutputKind : byte
{
    /// <summary>Class scores or probabilities, one per label.</summary>
    Classifier = 0,
    /// <summary>Regression values, one per target.</summary>
    Regressor = 1,
    /// <summary>Forecasts of future channel values, one per target; the residual is an anomaly score.</summary>
    Forecaster = 2,
}

/// <summary>How the runtime feeds samples to the model.</summary>
public enum ExecutionMode : byte
{
    /// <summary>One step per sample with the state carried between samples.</summary>
    Streaming = 0,
    /// <summary>Every <c>Stride</c> samples, the last <c>WindowLength</c> samples run from the initial state.</summary>
    Windowed = 1,
}
