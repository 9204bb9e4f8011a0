using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Pipeline;

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

/// <summary>A model as the runtime holds it: its metadata and how to make its engine.</summary>
/// <param name="Metadata">Channels, normalization, outputs, mode.</param>
/// <param name="CanStream">True when the engine can carry state one sample at a time.</param>
/// <param name="Backend">For logs: e.g. <c>Int8</c>, <c>Float32</c>, <c>ONNX Runtime</c>.</param>
/// <param name="CreateEngine">Makes the engine, sized for windows of the given length.</param>
internal sealed record RuntimeModel(ModelMetadata Metadata, bool CanStream, string Backend, Func<int, IInferenceEngine> CreateEngine)
{
    /// <summary>Features per sample.</summary>
    public int InputSize => Metadata.Channels.Count;

    /// <summary>An .elstm model on the EdgeLstm engine.</summary>
    public static RuntimeModel FromCore(RecurrentModel model) =>
        new(model.Metadata, model.CanStream, model.Precision.ToString(), window => new PredictorEngine(new Predictor(model, window)));
}

/// <summary>The EdgeLstm engine behind <see cref="IInferenceEngine"/>.</summary>
internal sealed class PredictorEngine(Predictor predictor) : IInferenceEngine
{
    public int OutputSize => predictor.OutputSize;

    public void Step(ReadOnlySpan<float> sample, Span<float> output) => predictor.Step(sample, output);

    public void RunWindow(ReadOnlySpan<float> window, Span<float> output) => predictor.RunWindow(window, output);

    public void Reset() => predictor.Reset();

    public void Dispose() { }
}
