using EdgeLstm.Collector.Monitor.Svg;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Charts;

/// <summary>A device's output chart read from the store and drawn: what the device page shows and its live events redraw.</summary>
internal static class DeviceCharts
{
    /// <summary>The predictions in <paramref name="range"/> and the output chart drawn from them.</summary>
    public static (IReadOnlyList<PredictionRecord> Predictions, Timeline Timeline, string Svg) Outputs(IFrameStore store, string deviceId, TimeRange range)
    {
        IReadOnlyList<PredictionRecord> predictions = store.Predictions(deviceId, range);
        Timeline timeline = DeviceTimelines.Outputs(predictions, store.Alarms(deviceId, openOnly: false), store.OutputLabels(deviceId), range);
        return (predictions, timeline, TimelineSvg.Render(timeline, height: 300));
    }
}
