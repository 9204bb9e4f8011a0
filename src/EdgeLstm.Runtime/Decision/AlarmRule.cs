using EdgeLstm.Core.Model;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// One alarm of the decision stage, resolved for a model from its validated config (names as in the JSON keys):
/// what to score, hysteresis on the (smoothed) score (raise above <see cref="Threshold"/> for
/// <see cref="MinDurationSamples"/> samples, clear below <see cref="ClearThreshold"/>), smoothing, a warm-up, and an
/// optional commissioning that sets both thresholds from the first samples. The config's validation
/// (<c>DecisionConfigValidator</c>) is the only check; a rule built here is usable.
/// </summary>
/// <param name="Name">What the alarm is about: a class label or "anomaly".</param>
/// <param name="Score">How the score is computed from the model output (never <see cref="AlarmScore.Auto"/>: resolved for the model).</param>
/// <param name="Output">The scored output for <see cref="AlarmScore.Output"/>; otherwise null.</param>
/// <param name="Threshold">The (smoothed) score must exceed this to count towards raising; NaN with <paramref name="Calibration"/>.</param>
/// <param name="ClearThreshold">A raised alarm clears when the (smoothed) score drops below this.</param>
/// <param name="MinDurationSamples">Consecutive samples above <paramref name="Threshold"/> needed to raise.</param>
/// <param name="SmoothingAlpha">EWMA weight of the newest score in (0, 1]; 1 means no smoothing.</param>
/// <param name="WarmUpSamples">Samples after start whose scores are ignored altogether (a cold model state, sensors still averaging).</param>
/// <param name="Calibration">When set, the thresholds come from the first samples after the warm-up.</param>
/// <param name="OnDegraded">What a degraded sample does to the alarm.</param>
internal sealed record AlarmRule(string Name, AlarmScore Score, string? Output, float Threshold, float ClearThreshold, int MinDurationSamples = 1,
    float SmoothingAlpha = 1f, int WarmUpSamples = 0, CalibrationConfig? Calibration = null, DegradedInput OnDegraded = DegradedInput.Hold)
{
    /// <summary>The rules of a validated decision section for a model; empty without one (predictions only, no alarms).</summary>
    /// <param name="decision">The validated decision section.</param>
    /// <param name="meta">The model's metadata (outputs, kind), which <see cref="AlarmScore.Auto"/> is resolved against.</param>
    /// <returns>One rule per alarm.</returns>
    public static IReadOnlyList<AlarmRule> FromConfig(DecisionConfig? decision, ModelMetadata meta)
    {
        if (decision is null) return [];
        IEnumerable<AlarmRuleConfig> alarms = decision.Alarms is { Count: > 0 } list ? list : [decision];
        return [.. alarms.Select(a => FromAlarm(a, meta))];
    }

    private static AlarmRule FromAlarm(AlarmRuleConfig alarm, ModelMetadata meta)
    {
        AlarmScore score = alarm.Score == AlarmScore.Auto ? AnomalyScorer.DefaultKind(meta) : alarm.Score;
        string? output = score == AlarmScore.Output ? alarm.Output ?? meta.OutputNames[0] : null;
        float threshold = (float)(alarm.Threshold ?? double.NaN);
        float clear = (float)(alarm.ClearThreshold ?? alarm.Threshold ?? double.NaN);
        return new AlarmRule(alarm.Name ?? output ?? "anomaly", score, output, threshold, clear, alarm.MinDurationSamples, (float)alarm.SmoothingAlpha,
            alarm.WarmUpSamples, alarm.Calibration, alarm.OnDegraded);
    }
}
