using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Running;

/// <summary>Scores sequences with the EdgeLstm engine (float32 or int8, as the model is).</summary>
public sealed class EngineScorer : ISequenceScorer
{
    private readonly Predictor _predictor;

    /// <summary>Creates a scorer for <paramref name="model"/>.</summary>
    public EngineScorer(RecurrentModel model) => _predictor = new Predictor(model);

    /// <inheritdoc/>
    public int InputSize => _predictor.InputSize;

    /// <inheritdoc/>
    public int OutputSize => _predictor.OutputSize;

    /// <inheritdoc/>
    public float[] ScoreWindow(ReadOnlySpan<float> window, int steps)
    {
        var output = new float[OutputSize];
        _predictor.RunWindow(window[..(steps * InputSize)], output);
        return output;
    }

    /// <inheritdoc/>
    public float[][] ScorePrefixes(ReadOnlySpan<float> sequence, int steps, Action<int>? progress = null)
    {
        var outputs = new float[steps][];
        if (_predictor.CanStream)
        {
            // Streaming carries the state, so one pass gives every prefix.
            _predictor.Reset();
            for (int t = 0; t < steps; t++)
            {
                outputs[t] = new float[OutputSize];
                _predictor.Step(sequence.Slice(t * InputSize, InputSize), outputs[t]);
                progress?.Invoke(t + 1);
            }
            return outputs;
        }
        for (int t = 0; t < steps; t++)
        {
            outputs[t] = ScoreWindow(sequence, t + 1);
            progress?.Invoke(t + 1);
        }
        return outputs;
    }
}
