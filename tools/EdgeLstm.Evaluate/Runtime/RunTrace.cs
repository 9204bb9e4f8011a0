using EdgeLstm.Protocol;

namespace EdgeLstm.Evaluate.Runtime;

/// <summary>A change of the alarm state at a sample index.</summary>
/// <param name="Sample">The sample (row) index at which the alarm was raised or cleared.</param>
/// <param name="Raised">True when raised, false when cleared.</param>
/// <param name="Score">The smoothed score that crossed the threshold.</param>
public readonly record struct TracedAlarmChange(int Sample, bool Raised, float Score);

/// <summary>One Prediction frame's anomaly value at a sample index.</summary>
/// <param name="Sample">The sample (row) index.</param>
/// <param name="Anomaly">The anomaly value in [0, 1]: score / (2 × threshold), so 0.5 is the threshold.</param>
public readonly record struct ScorePoint(int Sample, float Anomaly);

/// <summary>What one runtime run reported, decoded from its frames and put on the sample (row) axis.</summary>
public sealed class RunTrace
{
    /// <summary>The board's sample rate from the Hello frame.</summary>
    public required float SampleRateHz { get; init; }

    /// <summary>Prediction frames, in order.</summary>
    public required IReadOnlyList<ScorePoint> Scores { get; init; }

    /// <summary>Alarm frames, in order.</summary>
    public required IReadOnlyList<TracedAlarmChange> Alarms { get; init; }

    /// <summary>Decodes a framed stream (as <c>edgelstm run --format msgpack</c> writes it).</summary>
    /// <param name="frames">The stream.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="EvaluationException">No Hello frame first, a malformed frame, or a non-positive sample rate.</exception>
    public static async Task<RunTrace> DecodeAsync(Stream frames, CancellationToken cancellationToken = default)
    {
        float rate = 0;
        var scores = new List<ScorePoint>();
        var alarms = new List<TracedAlarmChange>();
        await foreach (DecodeResult result in FrameStreamReader.ReadAllAsync(frames, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!result.IsFrame)
            {
                throw new EvaluationException($"runtime output: {result}");
            }

            switch (result.FrameType)
            {
                case FrameType.Hello:
                    rate = result.Hello.SampleRateHz;
                    if (rate <= 0)
                    {
                        throw new EvaluationException($"runtime output: Hello with sample rate {rate}");
                    }

                    break;
                case FrameType.Prediction:
                    scores.Add(new ScorePoint(SampleOf(result.Prediction.TimeMs, rate), result.Prediction.AnomalyScore));
                    break;
                case FrameType.Alarm:
                    AlarmFrame alarm = result.Alarm;
                    alarms.Add(new TracedAlarmChange(SampleOf(alarm.TimeMs, rate), alarm.Raised, alarm.Score));
                    break;
                default:
                    break;
            }
        }

        return new RunTrace { SampleRateHz = rate, Scores = scores, Alarms = alarms };
    }

    /// <summary>The sample index of a frame time: sequential replay puts sample i at i / rate seconds after Hello's epoch.</summary>
    /// <param name="timeMs">The frame's time in ms since the epoch.</param>
    /// <param name="rateHz">The sample rate.</param>
    /// <returns>The sample index.</returns>
    public static int SampleOf(uint timeMs, float rateHz)
    {
        if (rateHz <= 0)
        {
            throw new EvaluationException("runtime output: a Prediction or Alarm frame before the Hello frame");
        }

        return (int)Math.Round(timeMs * (double)rateHz / 1000.0, MidpointRounding.AwayFromZero);
    }
}
