using EdgeLstm.Core.Model;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// Computes one rule's score from a model output and the normalized sample the model saw. Allocation-free
/// after construction.
/// </summary>
internal sealed class AnomalyScorer
{
    private readonly AlarmScore _kind;
    private readonly int _outputIndex;
    private readonly int[] _channelOfOutput = [];
    private readonly float[] _previousOutput = [];
    private bool _hasPrevious;

    private AnomalyScorer(AlarmScore kind, int outputIndex, int[] channelOfOutput)
    {
        _kind = kind;
        _outputIndex = outputIndex;
        _channelOfOutput = channelOfOutput;
        if (kind == AlarmScore.ForecastResidual) _previousOutput = new float[channelOfOutput.Length];
    }

    /// <summary>The kind of score.</summary>
    public AlarmScore Kind => _kind;

    /// <summary>The class an Alarm frame names: the scored output, or the anomaly index for every other score.</summary>
    public int AlarmClassIndex => _kind == AlarmScore.Output ? _outputIndex : EdgeLstm.Protocol.AlarmFrame.AnomalyClassIndex;

    /// <summary>
    /// Builds the scorer for a model. <paramref name="output"/> names the output for <see cref="AlarmScore.Output"/>.
    /// Returns null with <paramref name="problem"/> set when the model cannot give that score.
    /// </summary>
    public static AnomalyScorer? Create(AlarmScore kind, string? output, ModelMetadata meta, out string? problem)
    {
        problem = null;
        switch (kind)
        {
            case AlarmScore.Output:
                int index = output is null ? -1 : IndexOf(meta.OutputNames, output);
                if (index < 0)
                {
                    problem = $"score output '{output}' is not one of the model's outputs ({string.Join(", ", meta.OutputNames)})";
                    return null;
                }
                return new AnomalyScorer(kind, index, []);
            case AlarmScore.NotFirstOutput:
                return new AnomalyScorer(kind, 0, []);
            default:
                var channels = new int[meta.OutputNames.Count];
                for (int o = 0; o < channels.Length; o++)
                {
                    channels[o] = -1;
                    for (int c = 0; c < meta.Channels.Count; c++)
                        if (string.Equals(meta.Channels[c].Name, meta.OutputNames[o], StringComparison.Ordinal)) channels[o] = c;
                    if (channels[o] < 0)
                    {
                        problem = $"a {kind} score needs every model output to name an input channel, but output '{meta.OutputNames[o]}' names none";
                        return null;
                    }
                }
                return new AnomalyScorer(kind, 0, channels);
        }
    }

    /// <summary>
    /// What <see cref="AlarmScore.Auto"/> means for a model: classifiers score "not the first class"; regressors whose outputs name
    /// input channels score the residual (forecasters the one-step forecast residual); anything else its first output.
    /// </summary>
    public static AlarmScore DefaultKind(ModelMetadata meta)
    {
        if (meta.OutputKind == OutputKind.Classifier) return AlarmScore.NotFirstOutput;
        bool outputsAreChannels = meta.OutputNames.All(o => meta.Channels.Any(c => c.Name == o));
        if (!outputsAreChannels) return AlarmScore.Output;
        return meta.OutputKind == OutputKind.Forecaster ? AlarmScore.ForecastResidual : AlarmScore.Residual;
    }

    /// <summary>
    /// The score for the latest output. NaN when there is none yet (a forecast residual needs one earlier prediction).
    /// </summary>
    public float Score(ReadOnlySpan<float> normalizedInput, ReadOnlySpan<float> output)
    {
        switch (_kind)
        {
            case AlarmScore.Output:
                return output[_outputIndex];
            case AlarmScore.NotFirstOutput:
                return 1f - output[0];
            case AlarmScore.Residual:
                return Residual(output, normalizedInput);
            default:
                float score = _hasPrevious ? Residual(_previousOutput, normalizedInput) : float.NaN;
                output[.._previousOutput.Length].CopyTo(_previousOutput);
                _hasPrevious = true;
                return score;
        }
    }

    /// <summary>Forgets the previous prediction (forecast residuals).</summary>
    public void Reset() => _hasPrevious = false;

    private float Residual(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        float sum = 0;
        for (int o = 0; o < _channelOfOutput.Length; o++)
            sum += MathF.Abs(predicted[o] - actual[_channelOfOutput[o]]);
        return sum;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
