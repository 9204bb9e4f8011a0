namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// The state machine of one <see cref="AlarmRule"/>: smoothing, counting samples above the raise threshold,
/// hysteresis. Allocation-free; one instance per rule.
/// </summary>
public sealed class AlarmTracker
{
    private readonly AlarmRule _rule;
    private float _smoothed = float.NaN;
    private long _samplesAbove;
    private long _conditionSamples;

    /// <summary>Creates the tracker; the rule must have no <see cref="AlarmRule.Problems"/>.</summary>
    public AlarmTracker(AlarmRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        string? problem = rule.Problems().FirstOrDefault();
        if (problem is not null) throw new ArgumentException(problem, nameof(rule));
        _rule = rule;
    }

    /// <summary>The rule this tracker applies.</summary>
    public AlarmRule Rule => _rule;

    /// <summary>True while the alarm is raised.</summary>
    public bool IsRaised { get; private set; }

    /// <summary>The latest smoothed score (NaN before the first sample).</summary>
    public float SmoothedScore => _smoothed;

    /// <summary>
    /// Feeds one score. Returns true when the alarm changed state, with the change in <paramref name="change"/>.
    /// A non-finite score (a degraded sample) is ignored: it neither raises, clears nor resets the count.
    /// </summary>
    public bool Update(float score, int ruleIndex, out AlarmChange change)
    {
        change = default;
        if (!float.IsFinite(score)) return false;
        _smoothed = float.IsNaN(_smoothed) ? score : _rule.SmoothingAlpha * score + (1 - _rule.SmoothingAlpha) * _smoothed;
        if (IsRaised)
        {
            _conditionSamples++;
            if (_smoothed < _rule.ClearBelow)
            {
                IsRaised = false;
                change = new AlarmChange(ruleIndex, false, _smoothed, _conditionSamples);
                _samplesAbove = 0;
                _conditionSamples = 0;
                return true;
            }
            return false;
        }
        _samplesAbove = _smoothed > _rule.RaiseAbove ? _samplesAbove + 1 : 0;
        if (_samplesAbove >= _rule.MinSamplesAbove)
        {
            IsRaised = true;
            _conditionSamples = _samplesAbove;
            change = new AlarmChange(ruleIndex, true, _smoothed, _samplesAbove);
            return true;
        }
        return false;
    }

    /// <summary>Forgets all state (e.g. after the model changed).</summary>
    public void Reset()
    {
        _smoothed = float.NaN;
        _samplesAbove = 0;
        _conditionSamples = 0;
        IsRaised = false;
    }
}
