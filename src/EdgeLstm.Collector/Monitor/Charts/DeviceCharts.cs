using EdgeLstm.Collector.Monitor.Svg;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Charts;

/// <summary>A device's three charts over one range: what the device page draws as SVG and <c>plot</c> as a PNG.</summary>
/// <param name="Predictions">The predictions the output chart was drawn from.</param>
/// <param name="Outputs">Anomaly score and class probabilities with the alarm periods and thresholds.</param>
/// <param name="Latency">Inference latency p50/p99 from Health.</param>
/// <param name="ReadErrors">Each channel's read errors from Health.</param>
/// <param name="HealthCount">The Health frames in the range.</param>
internal sealed record DeviceChartSet(IReadOnlyList<PredictionRecord> Predictions, Timeline Outputs, Timeline Latency, Timeline ReadErrors, int HealthCount)
{
    /// <summary>The charts, top to bottom as the page shows them.</summary>
    public IReadOnlyList<Timeline> Timelines => [Outputs, Latency, ReadErrors];

    /// <summary>Whether the range holds no prediction and no Health frame.</summary>
    public bool IsEmpty => Predictions.Count == 0 && HealthCount == 0;
}

/// <summary>A device's charts read from the store: what the device page shows, its live events redraw and <c>plot</c> draws.</summary>
internal static class DeviceCharts
{
    /// <summary>Without a start, a device's charts show this long up to its newest prediction.</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(1);

    /// <summary>The output chart's height on the device page (px).</summary>
    public const int OutputSvgHeight = 300;

    /// <summary>The predictions in <paramref name="range"/> and the output chart drawn from them.</summary>
    public static (IReadOnlyList<PredictionRecord> Predictions, Timeline Timeline, string Svg) Outputs(IFrameStore store, string deviceId, TimeRange range)
    {
        IReadOnlyList<PredictionRecord> predictions = store.Predictions(deviceId, range);
        Timeline timeline = OutputTimeline(store, deviceId, predictions, store.Health(deviceId, range), range);
        return (predictions, timeline, TimelineSvg.Render(timeline, OutputSvgHeight));
    }

    /// <summary>All three charts of the device in <paramref name="range"/>; channel names from its latest session.</summary>
    public static DeviceChartSet All(IFrameStore store, IMonitorStore monitor, string deviceId, TimeRange range)
    {
        IReadOnlyList<PredictionRecord> predictions = store.Predictions(deviceId, range);
        IReadOnlyList<HealthRecord> health = store.Health(deviceId, range);
        IReadOnlyList<SessionRecord> sessions = monitor.Sessions(deviceId);
        IReadOnlyList<string> channels = sessions.Count > 0 ? sessions[^1].ChannelNames : [];
        return new DeviceChartSet(predictions, OutputTimeline(store, deviceId, predictions, health, range), DeviceTimelines.Latency(health, range),
            DeviceTimelines.ReadErrors(health, channels, range), health.Count);
    }

    /// <summary>The range to show: <paramref name="from"/> or <see cref="DefaultSpan"/> before the device's newest prediction (else before <paramref name="nowUnixMs"/>), to <paramref name="to"/>.</summary>
    public static TimeRange RangeOrDefault(IMonitorStore monitor, string deviceId, long? from, long? to, long nowUnixMs) =>
        new(from ?? (monitor.LatestPredictionTime(deviceId) ?? nowUnixMs) - (long)DefaultSpan.TotalMilliseconds, to);

    /// <summary>The output chart, with the thresholds of the latest Health in the range.</summary>
    private static Timeline OutputTimeline(IFrameStore store, string deviceId, IReadOnlyList<PredictionRecord> predictions, IReadOnlyList<HealthRecord> health,
        TimeRange range) =>
        DeviceTimelines.Outputs(predictions, store.Alarms(deviceId, openOnly: false), store.OutputLabels(deviceId), range, health.Count > 0 ? health[^1] : null);
}
