namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// When to raise and clear one alarm: hysteresis on a score (raise above <see cref="RaiseAbove"/>, clear
/// below <see cref="ClearBelow"/>), a minimum number of consecutive samples above before raising, optional
/// exponential smoothing of the score, and optional commissioning that sets both thresholds from the first
/// samples after start.
/// </summary>
/// <param name="Name">What the alarm is about: a class label or "anomaly".</param>
/// <param name="RaiseAbove">The (smoothed) score must exceed this to count towards raising; ignored with <paramref name="Calibration"/>.</param>
/// <param name="ClearBelow">A raised alarm clears when the (smoothed) score drops below this; at most <paramref name="RaiseAbove"/>.</param>
/// <param name="MinSamplesAbove">Consecutive samples above <paramref name="RaiseAbove"/> needed to raise; at least 1.</param>
/// <param name="SmoothingAlpha">EWMA weight of the newest score in (0, 1]; 1 means no smoothing.</param>
/// <param name="Calibration">When set, the thresholds come from the first samples (after the warm-up) instead.</param>
/// <param name="WarmUpSamples">Samples after start whose scores are ignored altogether (a cold model state, sensors still averaging).</param>
public sealed record AlarmRule(string Name, float RaiseAbove, float ClearBelow, int MinSamplesAbove = 1, float SmoothingAlpha = 1f,
    AlarmCalibration? Calibration = null, int WarmUpSamples = 0)
{
    /// <summary>Lists every problem with the rule's numbers (empty when it is usable).</summary>
    public IEnumerable<string> Problems()
    {
        if (Calibration is null)
        {
            if (!float.IsFinite(RaiseAbove) || !float.IsFinite(ClearBelow))
                yield return $"alarm '{Name}': thresholds must be finite numbers";
            else if (ClearBelow > RaiseAbove)
                yield return $"alarm '{Name}': clearBelow ({ClearBelow}) is above raiseAbove ({RaiseAbove}); hysteresis needs clearBelow <= raiseAbove";
        }
        else
        {
            foreach (string problem in Calibration.Problems()) yield return $"alarm '{Name}': {problem}";
        }
        if (MinSamplesAbove < 1)
            yield return $"alarm '{Name}': minSamplesAbove is {MinSamplesAbove}; it must be at least 1";
        if (!(SmoothingAlpha > 0 && SmoothingAlpha <= 1))
            yield return $"alarm '{Name}': smoothingAlpha is {SmoothingAlpha}; it must be in (0, 1]";
        if (WarmUpSamples < 0)
            yield return $"alarm '{Name}': warmUpSamples is {WarmUpSamples}; it must be at least 0";
    }
}

/// <summary>
/// Commissioning: the first <paramref name="Samples"/> samples only train the thresholds:
/// raise = <paramref name="Factor"/> × the <paramref name="Quantile"/> of the smoothed scores seen (linear
/// interpolation between order statistics, as numpy's default), clear = <paramref name="ClearRatio"/> × raise.
/// </summary>
public sealed record AlarmCalibration(int Samples, double Quantile = 0.99, double Factor = 1, double ClearRatio = 1)
{
    /// <summary>Lists every problem with the numbers.</summary>
    public IEnumerable<string> Problems()
    {
        if (Samples < 1) yield return $"calibration samples is {Samples}; it must be at least 1";
        if (!(Quantile > 0 && Quantile <= 1)) yield return $"calibration quantile is {Quantile}; it must be in (0, 1]";
        if (!(Factor > 0) || double.IsInfinity(Factor)) yield return $"calibration factor is {Factor}; it must be positive";
        if (!(ClearRatio > 0 && ClearRatio <= 1)) yield return $"calibration clearRatio is {ClearRatio}; it must be in (0, 1]";
    }
}
