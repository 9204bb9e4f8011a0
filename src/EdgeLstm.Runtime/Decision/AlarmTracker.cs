using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// The state machine of one <see cref="AlarmRule"/>: smoothing, commissioning, counting samples above the
/// raise threshold, hysteresis. Call <see cref="Update"/> once per sample (with NaN when the model produced no
/// score for it). Allocation-free after construction; one instance per rule.
/// </summary>
internal sealed class AlarmTracker
{
    private readonly AlarmRule _rule;
    private readonly float[] _calibrationScores;
    private int _calibrationCount;
    private long _warmUpSeen;
    private long _sample;
    private float _smoothed = float.NaN;
    private long _samplesAbove;
    private long _conditionSamples;

    /// <summary>Creates the tracker for a rule resolved from a validated config.</summary>
    public AlarmTracker(AlarmRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rule = rule;
        _calibrationScores = new float[rule.Calibration?.Samples ?? 0];
        IsArmed = rule.Calibration is null;
        Threshold = rule.Threshold;
        ClearThreshold = rule.ClearThreshold;
    }

    /// <summary>True while the alarm is raised.</summary>
    public bool IsRaised { get; private set; }

    /// <summary>False during commissioning: the alarm only watches.</summary>
    public bool IsArmed { get; private set; }

    /// <summary>True when commissioning ended without a single score to calibrate on; the alarm stays off.</summary>
    public bool CalibrationFailed { get; private set; }

    /// <summary>The raise threshold in force (set by calibration when the rule has one).</summary>
    public float Threshold { get; private set; }

    /// <summary>The clear threshold in force.</summary>
    public float ClearThreshold { get; private set; }

    /// <summary>The latest smoothed score (NaN before the first score).</summary>
    public float SmoothedScore => _smoothed;

    /// <summary>
    /// Feeds one sample's score. Returns true when the alarm changed state, with the change in
    /// <paramref name="change"/>. A non-finite score (no prediction for this sample, or a forecast residual before its first forecast) neither raises, clears
    /// nor resets the count. The rule's first <see cref="AlarmRule.WarmUpSamples"/> samples are ignored altogether.
    /// A <paramref name="degraded"/> sample's score is never used (not smoothed, not calibrated on); once armed, the
    /// rule's <see cref="AlarmRule.OnDegraded"/> says whether it holds, counts as clear, or counts as raise.
    /// </summary>
    public bool Update(float score, bool degraded, int ruleIndex, out AlarmChange change)
    {
        change = default;
        if (_warmUpSeen < _rule.WarmUpSamples)
        {
            _warmUpSeen++;
            return false;
        }
        if (!IsArmed && _sample == _calibrationScores.Length && !CalibrationFailed) Calibrate();
        _sample++;
        if (degraded) return IsArmed && ApplyDegraded(ruleIndex, out change);
        if (!float.IsFinite(score)) return false;
        _smoothed = float.IsNaN(_smoothed) ? score : _rule.SmoothingAlpha * score + (1 - _rule.SmoothingAlpha) * _smoothed;
        if (!IsArmed)
        {
            if (_calibrationCount < _calibrationScores.Length) _calibrationScores[_calibrationCount++] = _smoothed;
            return false;
        }
        return Advance(above: _smoothed > Threshold, belowClear: _smoothed < ClearThreshold, ruleIndex, out change);
    }

    private bool ApplyDegraded(int ruleIndex, out AlarmChange change)
    {
        change = default;
        return _rule.OnDegraded switch
        {
            DegradedInput.Raise => Advance(above: true, belowClear: false, ruleIndex, out change),
            DegradedInput.Clear => Advance(above: false, belowClear: true, ruleIndex, out change),
            _ => false,
        };
    }

    /// <summary>Hysteresis: one more sample that is above the raise threshold or not, and below the clear threshold or not.</summary>
    private bool Advance(bool above, bool belowClear, int ruleIndex, out AlarmChange change)
    {
        change = default;
        if (IsRaised)
        {
            _conditionSamples++;
            if (belowClear)
            {
                IsRaised = false;
                change = new AlarmChange(ruleIndex, false, _smoothed, _conditionSamples);
                _samplesAbove = 0;
                _conditionSamples = 0;
                return true;
            }
            return false;
        }
        _samplesAbove = above ? _samplesAbove + 1 : 0;
        if (_samplesAbove >= _rule.MinDurationSamples)
        {
            IsRaised = true;
            _conditionSamples = _samplesAbove;
            change = new AlarmChange(ruleIndex, true, _smoothed, _samplesAbove);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Clears a raised alarm outside its hysteresis, because the stage that tracks it is being replaced (a remote
    /// update): returns true with the cleared change when it was raised, so the board reports the clear.
    /// </summary>
    public bool StandDown(int ruleIndex, out AlarmChange change)
    {
        change = default;
        if (!IsRaised) return false;
        IsRaised = false;
        change = new AlarmChange(ruleIndex, false, _smoothed, _conditionSamples);
        _samplesAbove = 0;
        _conditionSamples = 0;
        return true;
    }

    /// <summary>Sets the thresholds from the commissioning scores (called once, at the first sample after it).</summary>
    private void Calibrate()
    {
        CalibrationConfig calibration = _rule.Calibration!;
        if (_calibrationCount == 0)
        {
            CalibrationFailed = true;
            return;
        }
        Span<float> scores = _calibrationScores.AsSpan(0, _calibrationCount);
        scores.Sort();
        double position = calibration.Quantile * (scores.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, scores.Length - 1);
        double quantile = scores[lower] + (position - lower) * (scores[upper] - scores[lower]);
        Threshold = (float)(calibration.Factor * quantile);
        ClearThreshold = (float)(calibration.ClearRatio * Threshold);
        IsArmed = true;
    }

    /// <summary>Arms the alarm with thresholds commissioned before (kept across a restart): no commissioning this time.</summary>
    public void Restore(float threshold, float clearThreshold)
    {
        Threshold = threshold;
        ClearThreshold = clearThreshold;
        IsArmed = true;
        CalibrationFailed = false;
    }

    /// <summary>Forgets all state, calibration included (e.g. after the model changed).</summary>
    public void Reset()
    {
        _smoothed = float.NaN;
        _samplesAbove = 0;
        _conditionSamples = 0;
        _sample = 0;
        _warmUpSeen = 0;
        _calibrationCount = 0;
        IsRaised = false;
        IsArmed = _rule.Calibration is null;
        CalibrationFailed = false;
        Threshold = _rule.Threshold;
        ClearThreshold = _rule.ClearThreshold;
    }
}
