namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// When to raise and clear one alarm: hysteresis on a score (raise above <see cref="RaiseAbove"/>, clear
/// below <see cref="ClearBelow"/>), a minimum number of consecutive samples above before raising, and
/// optional exponential smoothing of the score.
/// </summary>
/// <param name="Name">What the alarm is about: a class label or "anomaly".</param>
/// <param name="RaiseAbove">The (smoothed) score must exceed this to count towards raising.</param>
/// <param name="ClearBelow">A raised alarm clears when the (smoothed) score drops below this; at most <paramref name="RaiseAbove"/>.</param>
/// <param name="MinSamplesAbove">Consecutive samples above <paramref name="RaiseAbove"/> needed to raise; at least 1.</param>
/// <param name="SmoothingAlpha">EWMA weight of the newest score in (0, 1]; 1 means no smoothing.</param>
public sealed record AlarmRule(string Name, float RaiseAbove, float ClearBelow, int MinSamplesAbove = 1, float SmoothingAlpha = 1f)
{
    /// <summary>Lists every problem with the rule's numbers (empty when it is usable).</summary>
    public IEnumerable<string> Problems()
    {
        if (!float.IsFinite(RaiseAbove) || !float.IsFinite(ClearBelow))
            yield return $"alarm '{Name}': thresholds must be finite numbers";
        else if (ClearBelow > RaiseAbove)
            yield return $"alarm '{Name}': clearBelow ({ClearBelow}) is above raiseAbove ({RaiseAbove}); hysteresis needs clearBelow <= raiseAbove";
        if (MinSamplesAbove < 1)
            yield return $"alarm '{Name}': minSamplesAbove is {MinSamplesAbove}; it must be at least 1";
        if (!(SmoothingAlpha > 0 && SmoothingAlpha <= 1))
            yield return $"alarm '{Name}': smoothingAlpha is {SmoothingAlpha}; it must be in (0, 1]";
    }
}
