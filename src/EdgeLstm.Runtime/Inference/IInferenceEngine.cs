namespace EdgeLstm.Runtime.Inference;

/// <summary>What runs a model on the board: the EdgeLstm engine, or ONNX Runtime in builds that carry it.</summary>
internal interface IInferenceEngine : IDisposable
{
    /// <summary>Values per prediction.</summary>
    int OutputSize { get; }

    /// <summary>One streaming step (state carried); only for models that can stream.</summary>
    void Step(ReadOnlySpan<float> sample, Span<float> output);

    /// <summary>A window of T × inputs samples from the initial state.</summary>
    void RunWindow(ReadOnlySpan<float> window, Span<float> output);

    /// <summary>Back to the initial state.</summary>
    void Reset();
}
