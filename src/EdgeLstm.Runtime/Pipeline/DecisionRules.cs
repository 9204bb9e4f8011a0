using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>Turns the board config's decision section into decision rules for a model.</summary>
internal static class DecisionRules
{
    /// <summary>The rules; empty when the config has no decision section (predictions only, no alarms).</summary>
    public static List<DecisionRule> FromConfig(DecisionConfig? decision, ModelMetadata meta)
    {
        if (decision is null) return [];
        IEnumerable<AlarmRuleConfig> alarms = decision.Alarms is { Count: > 0 } list ? list : [decision];
        return [.. alarms.Select(a => FromAlarm(a, meta))];
    }

    private static DecisionRule FromAlarm(AlarmRuleConfig alarm, ModelMetadata meta)
    {
        ScoreKind kind = alarm.Score switch
        {
            AlarmScore.Residual => ScoreKind.Residual,
            AlarmScore.ForecastResidual => ScoreKind.ForecastResidual,
            AlarmScore.NotFirstOutput => ScoreKind.NotFirstOutput,
            AlarmScore.Output => ScoreKind.Output,
            _ => AnomalyScorer.DefaultKind(meta),
        };
        string? output = kind == ScoreKind.Output ? alarm.Output ?? meta.OutputNames[0] : null;
        string name = alarm.Name ?? output ?? "anomaly";
        AlarmCalibration? calibration = alarm.Calibration is { } c ? new AlarmCalibration(c.Samples, c.Quantile, c.Factor, c.ClearRatio) : null;
        float raise = (float)(alarm.Threshold ?? double.NaN);
        float clear = (float)(alarm.ClearThreshold ?? alarm.Threshold ?? double.NaN);
        return new DecisionRule(new AlarmRule(name, raise, clear, alarm.MinDurationSamples, (float)alarm.SmoothingAlpha, calibration, alarm.WarmUpSamples), kind, output);
    }
}
