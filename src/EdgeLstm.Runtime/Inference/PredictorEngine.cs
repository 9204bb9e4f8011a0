using EdgeLstm.Core.Engine;

namespace EdgeLstm.Runtime.Inference;

/// <summary>The EdgeLstm engine behind <see cref="IInferenceEngine"/>.</summary>
internal sealed class PredictorEngine(Predictor predictor) : IInferenceEngine
{
    public int OutputSize => predictor.OutputSize;

    public void Step(ReadOnlySpan<float> sample, Span<float> output) => predictor.Step(sample, output);

    public void RunWindow(ReadOnlySpan<float> window, Span<float> output) => predictor.RunWindow(window, output);

    public void Reset() => predictor.Reset();

    public void Dispose() { }
}
