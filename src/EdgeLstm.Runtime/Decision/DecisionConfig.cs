using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>What an alarm scores (docs/runtime.md).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<AlarmScore>))]
public enum AlarmScore
{
    /// <summary>Chosen from the model: classifiers "not the first class", models reproducing their inputs the residual.</summary>
    Auto,

    /// <summary>Σ |output − input of the same name| on normalized values (reconstruction error).</summary>
    Residual,

    /// <summary>As residual, with the previous prediction against the current sample (one-step forecast error).</summary>
    ForecastResidual,

    /// <summary>1 − the first output (a classifier whose first class is "normal").</summary>
    NotFirstOutput,

    /// <summary>One named output, e.g. a fault class's probability.</summary>
    Output,
}

/// <summary>What a degraded sample (an input held or bad, or the model reset) does to an alarm (docs/runtime.md).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<DegradedInput>))]
public enum DegradedInput
{
    /// <summary>Nothing: the alarm keeps its state and its count, and the sample's score is not used (stale data can neither raise nor clear).</summary>
    Hold,

    /// <summary>The sample counts as below the clear threshold: a raised alarm clears (a lost sensor means "not alarming").</summary>
    Clear,

    /// <summary>The sample counts as above the raise threshold (fail-safe: a lost sensor raises after <c>minDurationSamples</c>).</summary>
    Raise,
}

/// <summary>One alarm of the decision stage: what to score, and when to raise and clear.</summary>
public class AlarmRuleConfig
{
    /// <summary>Gets the alarm's name in frames and logs; defaults to the output name or "anomaly".</summary>
    public string? Name { get; set; }

    /// <summary>Gets what the alarm scores.</summary>
    public AlarmScore Score { get; set; } = AlarmScore.Auto;

    /// <summary>Gets the output scored when <see cref="Score"/> is <see cref="AlarmScore.Output"/>.</summary>
    public string? Output { get; set; }

    /// <summary>Gets the (smoothed) score above which the alarm is raised; required unless <see cref="Calibration"/> sets it.</summary>
    public double? Threshold { get; set; }

    /// <summary>Gets the score below which a raised alarm clears (hysteresis); defaults to the threshold.</summary>
    public double? ClearThreshold { get; set; }

    /// <summary>Gets how many consecutive samples must exceed the threshold before the alarm is raised.</summary>
    public int MinDurationSamples { get; set; } = 1;

    /// <summary>Gets the EWMA weight of the newest score, in (0, 1]; 1 = no smoothing.</summary>
    public double SmoothingAlpha { get; set; } = 1;

    /// <summary>
    /// Gets how many samples after start are not scored at all (not smoothed, not calibrated on, never alarming): a
    /// streaming model's state and the sensors' own averaging (a tachometer's window) start cold. Commissioning
    /// starts after them.
    /// </summary>
    public int WarmUpSamples { get; set; }

    /// <summary>Gets what a degraded sample does to the alarm; <see cref="DegradedInput.Hold"/> by default.</summary>
    public DegradedInput OnDegraded { get; set; } = DegradedInput.Hold;

    /// <summary>Gets the commissioning step that sets the thresholds from the first samples after start.</summary>
    public CalibrationConfig? Calibration { get; set; }
}

/// <summary>
/// Commissioning: for the first <see cref="Samples"/> samples after start the alarm only watches; then
/// threshold = <see cref="Factor"/> × the <see cref="Quantile"/> of the smoothed scores seen, and
/// clearThreshold = <see cref="ClearRatio"/> × threshold.
/// </summary>
public sealed class CalibrationConfig
{
    /// <summary>Gets the number of samples (of normal operation) to calibrate on.</summary>
    public required int Samples { get; set; }

    /// <summary>Gets the quantile of the calibration scores, in (0, 1].</summary>
    public double Quantile { get; set; } = 0.99;

    /// <summary>Gets the factor applied to that quantile; above 0.</summary>
    public double Factor { get; set; } = 1;

    /// <summary>Gets clearThreshold as a fraction of threshold, in (0, 1].</summary>
    public double ClearRatio { get; set; } = 1;
}

/// <summary>The decision stage: one alarm given inline, or several under <see cref="Alarms"/>.</summary>
public sealed class DecisionConfig : AlarmRuleConfig
{
    /// <summary>Gets several alarms (e.g. one per fault class); when given, the inline alarm fields must be absent.</summary>
    public IReadOnlyList<AlarmRuleConfig>? Alarms { get; set; }
}
