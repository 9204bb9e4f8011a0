using EdgeLstm.Runtime.Decision;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Tests.Decision;

public class AlarmTrackerTests
{
    private static AlarmRule Rule(float threshold, float clearThreshold, int minDurationSamples = 1, float smoothingAlpha = 1f, int warmUpSamples = 0,
        CalibrationConfig? calibration = null) =>
        new("anomaly", AlarmScore.Residual, null, threshold, clearThreshold, minDurationSamples, smoothingAlpha, warmUpSamples, calibration);

    private static CalibrationConfig Calibration(int samples, double quantile = 0.99, double factor = 1, double clearRatio = 1) =>
        new() { Samples = samples, Quantile = quantile, Factor = factor, ClearRatio = clearRatio };

    private static List<(int Sample, AlarmChange Change)> Feed(AlarmTracker tracker, params float[] scores)
    {
        var changes = new List<(int, AlarmChange)>();
        for (int i = 0; i < scores.Length; i++)
            if (tracker.Update(scores[i], false, 0, out AlarmChange change)) changes.Add((i, change));
        return changes;
    }

    [Fact]
    public void Raises_above_and_clears_below_with_hysteresis()
    {
        var tracker = new AlarmTracker(Rule(0.8f, 0.5f));
        var changes = Feed(tracker, 0.1f, 0.9f, 0.7f, 0.6f, 0.85f, 0.4f, 0.6f);
        Assert.Equal(2, changes.Count);
        Assert.Equal((1, new AlarmChange(0, true, 0.9f, 1)), changes[0]);
        Assert.Equal(5, changes[1].Sample); // 0.7 and 0.6 sit between the thresholds: still raised
        Assert.False(changes[1].Change.Raised);
        Assert.Equal(5, changes[1].Change.DurationSamples); // samples 1..5
        Assert.False(tracker.IsRaised);
    }

    [Fact]
    public void Standing_down_clears_a_raised_alarm_with_its_duration_and_nothing_else()
    {
        var tracker = new AlarmTracker(Rule(0.8f, 0.5f));
        Assert.False(tracker.StandDown(0, out _)); // not raised: nothing to report
        Feed(tracker, 0.9f, 0.7f, 0.6f);           // raised at the first, held between the thresholds

        Assert.True(tracker.StandDown(3, out AlarmChange change));
        Assert.Equal(new AlarmChange(3, false, 0.6f, 3), change);
        Assert.False(tracker.IsRaised);
        Assert.False(tracker.StandDown(3, out _));
        // The count starts again: one sample above raises anew, as after a normal clear.
        Assert.Equal((0, new AlarmChange(0, true, 0.9f, 1)), Assert.Single(Feed(tracker, 0.9f)));
    }

    [Fact]
    public void Needs_the_minimum_number_of_consecutive_samples_above()
    {
        var tracker = new AlarmTracker(Rule(0.5f, 0.5f, minDurationSamples: 3));
        var changes = Feed(tracker, 0.9f, 0.9f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f);
        Assert.Single(changes);
        Assert.Equal(5, changes[0].Sample);
        Assert.Equal(3, changes[0].Change.DurationSamples);
    }

    [Fact]
    public void Smoothing_delays_the_raise_and_ignores_a_single_spike()
    {
        var tracker = new AlarmTracker(Rule(0.5f, 0.3f, smoothingAlpha: 0.25f));
        Assert.Empty(Feed(tracker, 0f, 1f, 0f, 0f)); // 0, 0.25, 0.1875, 0.14
        var changes = Feed(tracker, 1f, 1f, 1f);      // 0.355, 0.516 → raise
        Assert.Single(changes);
        Assert.Equal(1, changes[0].Sample);
        Assert.Equal(0.5166016f, changes[0].Change.Score, 1e-6f); // 0.25 + 0.75 · 0.35546875
    }

    [Fact]
    public void Non_finite_scores_are_ignored()
    {
        var tracker = new AlarmTracker(Rule(0.5f, 0.4f, minDurationSamples: 2));
        var changes = Feed(tracker, 0.9f, float.NaN, 0.9f);
        Assert.Single(changes);
        Assert.Equal(2, changes[0].Sample);
    }

    [Fact]
    public void Calibration_watches_the_first_samples_then_sets_the_thresholds_from_a_quantile()
    {
        // Samples 0–1 have no score yet (a window filling up), 2–9 score 1..8; quantile 0.5 of 1..8 is 4.5.
        var rule = Rule(float.NaN, float.NaN, calibration: Calibration(10, quantile: 0.5, factor: 2, clearRatio: 0.5));
        var tracker = new AlarmTracker(rule);
        var changes = Feed(tracker, float.NaN, float.NaN, 1, 2, 3, 4, 5, 6, 7, 100, /* armed from here */ 8.9f, 9.1f, 4.6f, 4.4f);
        Assert.True(tracker.IsArmed);
        Assert.Equal(9f, tracker.Threshold);
        Assert.Equal(4.5f, tracker.ClearThreshold);
        Assert.Equal([11, 13], changes.Select(c => c.Sample)); // 100 during calibration raised nothing
        Assert.True(changes[0].Change.Raised);
        Assert.False(changes[1].Change.Raised);
    }

    [Fact]
    public void Warm_up_samples_are_ignored_and_commissioning_starts_after_them()
    {
        // Three cold samples (huge scores), then four to calibrate on (quantile 1 of 1..4 is 4, × 2 = 8).
        var rule = Rule(float.NaN, float.NaN, warmUpSamples: 3, calibration: Calibration(4, quantile: 1, factor: 2, clearRatio: 0.5));
        var tracker = new AlarmTracker(rule);
        var changes = Feed(tracker, 500, 90, 40, 1, 2, 3, 4, /* armed from here */ 7, 9, 3);
        Assert.Equal(8f, tracker.Threshold);
        Assert.Equal([8, 9], changes.Select(c => c.Sample));
        Assert.Equal(9f, changes[0].Change.Score); // no smoothing memory of the warm-up

        var smoothed = new AlarmTracker(Rule(5, 5, smoothingAlpha: 0.5f, warmUpSamples: 2));
        Assert.Empty(Feed(smoothed, 100, 100, 4, 4, 4));
        Assert.Equal(4f, smoothed.SmoothedScore);
        smoothed.Reset();
        Assert.Empty(Feed(smoothed, 100, 100));
        Assert.True(float.IsNaN(smoothed.SmoothedScore));
    }

    [Fact]
    public void Calibration_without_any_score_leaves_the_alarm_off()
    {
        var tracker = new AlarmTracker(Rule(0, 0, calibration: Calibration(3)));
        Assert.Empty(Feed(tracker, float.NaN, float.NaN, float.NaN, 50f, 60f));
        Assert.True(tracker.CalibrationFailed);
        Assert.False(tracker.IsArmed);
    }

    /// <summary>Feeds (score, degraded) pairs; returns the changes with their sample index.</summary>
    private static List<(int Sample, AlarmChange Change)> FeedDegraded(AlarmTracker tracker, params (float Score, bool Degraded)[] samples)
    {
        var changes = new List<(int, AlarmChange)>();
        for (int i = 0; i < samples.Length; i++)
            if (tracker.Update(samples[i].Score, samples[i].Degraded, 0, out AlarmChange change)) changes.Add((i, change));
        return changes;
    }

    private static AlarmRule WithPolicy(DegradedInput policy, int minDurationSamples = 1) =>
        Rule(0.8f, 0.5f, minDurationSamples) with { OnDegraded = policy };

    [Fact]
    public void A_sensor_lost_during_a_fault_holds_the_alarm_raised_on_stale_data_by_default()
    {
        var tracker = new AlarmTracker(WithPolicy(DegradedInput.Hold));
        // Raised on real data; then the sensor dies and feeds its last (normal-looking) value, marked degraded.
        var changes = FeedDegraded(tracker, (0.9f, false), (0.1f, true), (0.1f, true), (0.1f, true));
        Assert.Single(changes);
        Assert.True(tracker.IsRaised);
        // Stale data never raises either.
        var quiet = new AlarmTracker(WithPolicy(DegradedInput.Hold));
        Assert.Empty(FeedDegraded(quiet, (0.1f, false), (0.95f, true), (0.95f, true)));
    }

    [Fact]
    public void The_clear_policy_clears_on_the_first_degraded_sample()
    {
        var tracker = new AlarmTracker(WithPolicy(DegradedInput.Clear));
        var changes = FeedDegraded(tracker, (0.9f, false), (0.9f, true));
        Assert.Equal(2, changes.Count);
        Assert.False(changes[1].Change.Raised);
        Assert.Equal(1, changes[1].Sample);
    }

    [Fact]
    public void The_raise_policy_raises_after_min_duration_degraded_samples()
    {
        var tracker = new AlarmTracker(WithPolicy(DegradedInput.Raise, minDurationSamples: 3));
        var changes = FeedDegraded(tracker, (0.1f, false), (0.1f, true), (0.1f, true), (0.1f, false), (0.1f, true), (0.1f, true), (0.1f, true));
        Assert.Single(changes); // the good sample in between restarted the count
        Assert.Equal(6, changes[0].Sample);
        Assert.True(changes[0].Change.Raised);
    }

    [Fact]
    public void Commissioning_never_calibrates_on_degraded_samples()
    {
        var tracker = new AlarmTracker(Rule(0, 0, calibration: Calibration(4, quantile: 1)) with { OnDegraded = DegradedInput.Raise });
        FeedDegraded(tracker, (1f, false), (500f, true), (2f, false), (900f, true), (0.5f, false));
        Assert.True(tracker.IsArmed);
        Assert.Equal(2f, tracker.Threshold); // the largest of the real scores, not 900
    }

    [Fact]
    public void Updates_allocate_nothing()
    {
        var tracker = new AlarmTracker(Rule(0.5f, 0.4f, 2, 0.5f));
        tracker.Update(0.1f, false, 0, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) tracker.Update(i % 100 / 100f, false, 0, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
