using System.Globalization;
using EdgeLstm.Core.Model;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// The decision stage: every alarm rule scores the model's output, smooths, commissions and applies hysteresis, once
/// per sample. Its result and its alarm events are all the later stages see. Allocation-free after construction.
/// </summary>
internal sealed class DecisionStage
{
    private readonly AlarmRule[] _rules;
    private readonly AnomalyScorer[] _scorers;
    private readonly AlarmTracker[] _trackers;
    private readonly bool[] _commissioningReported;
    private readonly AlarmEvent[] _events;
    private readonly TextWriter _log;
    private readonly CalibrationStore? _store;
    private int _changes;

    /// <summary>Builds the stage for a model; the rules come from a validated config that fits it.</summary>
    /// <param name="rules">The alarm rules.</param>
    /// <param name="meta">The model's metadata.</param>
    /// <param name="log">Where commissioning reports the thresholds it set.</param>
    /// <param name="store">Where commissioned thresholds are kept across restarts and found again; null to commission at every start.</param>
    public DecisionStage(IReadOnlyList<AlarmRule> rules, ModelMetadata meta, TextWriter log, CalibrationStore? store = null)
    {
        _rules = [.. rules];
        _log = log;
        _store = store;
        _scorers = new AnomalyScorer[_rules.Length];
        _trackers = new AlarmTracker[_rules.Length];
        _commissioningReported = new bool[_rules.Length];
        _events = new AlarmEvent[_rules.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            _scorers[r] = AnomalyScorer.Create(_rules[r].Score, _rules[r].Output, meta, out string? problem) ?? throw new ArgumentException(problem);
            _trackers[r] = new AlarmTracker(_rules[r]);
        }
        RestoreCommissioning();
    }

    /// <summary>Arms every calibrated rule whose thresholds were commissioned before for this model and these settings.</summary>
    private void RestoreCommissioning()
    {
        if (_store is null || !_rules.Any(r => r.Calibration is not null)) return;
        CalibrationFile? file = _store.Load();
        for (int r = 0; r < _rules.Length; r++)
        {
            if (CalibrationStore.Find(_rules[r], file) is not { } stored) continue;
            _trackers[r].Restore(stored.Threshold, stored.ClearThreshold);
            _commissioningReported[r] = true;
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edgelstm: alarm '{_rules[r].Name}': thresholds commissioned {file!.CommissionedAt} kept in {_store.Location}: raise above {stored.Threshold:G5}, clear below {stored.ClearThreshold:G5} (run with --recommission to commission again)"));
        }
    }

    /// <summary>The number of alarm rules, in config order.</summary>
    public int RuleCount => _rules.Length;

    /// <summary>
    /// Writes the thresholds in force, two per rule in config order (raise, clear), into <paramref name="destination"/>
    /// (at least 2 × <see cref="RuleCount"/> long): configured or commissioned, NaN while a rule is still commissioning
    /// or when its commissioning failed. Allocation-free, for the Health frame.
    /// </summary>
    public void WriteThresholds(Span<float> destination)
    {
        for (int r = 0; r < _trackers.Length; r++)
        {
            AlarmTracker tracker = _trackers[r];
            destination[2 * r] = tracker.IsArmed ? tracker.Threshold : float.NaN;
            destination[2 * r + 1] = tracker.IsArmed ? tracker.ClearThreshold : float.NaN;
        }
    }

    /// <summary>The alarms raised or cleared at the latest sample.</summary>
    public ReadOnlySpan<AlarmEvent> Changes => _events.AsSpan(0, _changes);

    /// <summary>
    /// Decides on one sample. Every rule sees every sample (a NaN score when the model produced nothing), so warm-up
    /// and commissioning count samples, not predictions.
    /// </summary>
    /// <param name="produced">True when the model produced an output for this sample.</param>
    /// <param name="normalizedInput">The normalized sample the model saw.</param>
    /// <param name="output">The model's output (ignored when <paramref name="produced"/> is false).</param>
    /// <param name="degraded">True when the sample is degraded (an input held or bad, or the model reset): each rule's
    /// degraded-input policy applies instead of its score.</param>
    /// <returns>The first alarm's score and level, and whether any alarm is raised.</returns>
    public DecisionResult Decide(bool produced, ReadOnlySpan<float> normalizedInput, ReadOnlySpan<float> output, bool degraded = false)
    {
        _changes = 0;
        bool anyRaised = false;
        for (int r = 0; r < _scorers.Length; r++)
        {
            float score = produced && !degraded ? _scorers[r].Score(normalizedInput, output) : float.NaN;
            AlarmTracker tracker = _trackers[r];
            if (tracker.Update(score, degraded, r, out AlarmChange change))
                _events[_changes++] = new AlarmEvent(_rules[r].Name, _scorers[r].AlarmClassIndex, change);
            anyRaised |= tracker.IsRaised;
            if (!_commissioningReported[r] && _rules[r].Calibration is not null && (tracker.IsArmed || tracker.CalibrationFailed))
                ReportCommissioning(r);
        }
        if (_trackers.Length == 0) return new DecisionResult(float.NaN, 0f, false);
        float first = _trackers[0].SmoothedScore;
        return new DecisionResult(first, AnomalyLevel(_rules[0], _trackers[0], first), anyRaised);
    }

    /// <summary>
    /// Clears every raised alarm because this stage is being replaced (a remote update: the new stage starts with every
    /// alarm down); the cleared alarms are then in <see cref="Changes"/>, to be reported like any other change.
    /// </summary>
    public void StandDown()
    {
        _changes = 0;
        for (int r = 0; r < _trackers.Length; r++)
        {
            if (_trackers[r].StandDown(r, out AlarmChange change))
                _events[_changes++] = new AlarmEvent(_rules[r].Name, _scorers[r].AlarmClassIndex, change);
        }
    }

    /// <summary>Probability-like scores as they are; residual scores relative to the threshold, so 0.5 means "at the threshold".</summary>
    private static float AnomalyLevel(AlarmRule rule, AlarmTracker tracker, float score) =>
        rule.Score is AlarmScore.Output or AlarmScore.NotFirstOutput ? score
        : tracker.IsArmed && tracker.Threshold > 0 ? score / (2 * tracker.Threshold)
        : 0f;

    /// <summary>Logs once what commissioning decided, so the engineer at the pump sees the thresholds in force.</summary>
    private void ReportCommissioning(int r)
    {
        _commissioningReported[r] = true;
        AlarmTracker tracker = _trackers[r];
        AlarmRule rule = _rules[r];
        _log.WriteLine(tracker.CalibrationFailed
            ? $"edgelstm: alarm '{rule.Name}': commissioning saw no score in its {rule.Calibration!.Samples} samples; the alarm stays off"
            : string.Create(CultureInfo.InvariantCulture,
                $"edgelstm: alarm '{rule.Name}' commissioned on {rule.Calibration!.Samples} samples: raise above {tracker.Threshold:G5}, clear below {tracker.ClearThreshold:G5}"));
        if (tracker.IsArmed) SaveCommissioning();
    }

    /// <summary>Keeps the thresholds of every commissioned rule (once per commissioning: not on the hot path's budget).</summary>
    private void SaveCommissioning()
    {
        if (_store is null) return;
        var alarms = new List<CalibratedAlarm>();
        for (int r = 0; r < _rules.Length; r++)
        {
            if (_rules[r].Calibration is not { } c || !_trackers[r].IsArmed) continue;
            alarms.Add(new CalibratedAlarm(_rules[r].Name, _trackers[r].Threshold, _trackers[r].ClearThreshold, c.Samples, c.Quantile, c.Factor, c.ClearRatio));
        }
        _store.Save(alarms);
    }

    /// <summary>Waits for thresholds still being written (at shutdown).</summary>
    public void Flush() => _store?.Flush(TimeSpan.FromSeconds(5));
}
