using EdgeLstm.Collector.Monitor.Charts;
using ScottPlot;

namespace EdgeLstm.Collector.Monitor.Png;

/// <summary>
/// Draws a device's <see cref="DeviceChartSet"/> as one PNG with ScottPlot: the page's three charts stacked, each
/// with the same series, colours, time span, value axis, shaded alarm periods and threshold lines as its SVG on the device page.
/// </summary>
internal static class TimelinePng
{
    /// <summary>The alarm bands' colour: the page's red, mostly transparent.</summary>
    private static readonly Color AlarmBand = Color.FromHex("#c92a2a").WithAlpha(0.15);

    /// <summary>Writes the PNG of <paramref name="charts"/> (<paramref name="width"/> × <paramref name="height"/> px) to <paramref name="path"/>.</summary>
    public static void Save(DeviceChartSet charts, string deviceId, string path, int width, int height)
    {
        var multiplot = new Multiplot();
        IReadOnlyList<Timeline> timelines = charts.Timelines;
        for (int i = 0; i < timelines.Count; i++)
        {
            Plot plot = Draw(timelines[i], i == 0 ? $"{deviceId}: {timelines[i].Title}" : timelines[i].Title);
            if (i == 0) multiplot.Reset(plot);
            else multiplot.AddPlot(plot);
        }
        multiplot.SavePng(path, width, height);
    }

    private static Plot Draw(Timeline timeline, string title)
    {
        var plot = new Plot();
        plot.Title(title);
        foreach (AlarmPeriod alarm in timeline.Alarms)
        {
            var band = plot.Add.HorizontalSpan(OaDate(Math.Max(alarm.FromUnixMs, timeline.FromUnixMs)), OaDate(Math.Min(alarm.ToUnixMs ?? timeline.ToUnixMs, timeline.ToUnixMs)));
            band.FillStyle.Color = AlarmBand;
            band.LineStyle.Width = 0;
        }
        foreach (Series series in timeline.Series.Where(s => s.Points.Count > 0))
        {
            var line = plot.Add.ScatterLine(series.Points.Select(p => OaDate(p.UnixMs)).ToArray(), series.Points.Select(p => p.Value).ToArray(), Color.FromHex(series.Colour));
            line.LegendText = series.Name;
            line.LineWidth = 1.5f;
        }
        foreach (ThresholdLine threshold in timeline.Lines)
        {
            var line = plot.Add.HorizontalLine(threshold.Value, 1.5f, Color.FromHex(threshold.Colour), threshold.Dashed ? LinePattern.Dashed : LinePattern.Solid);
            line.LegendText = threshold.Name;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.SetLimits(OaDate(timeline.FromUnixMs), OaDate(timeline.ToUnixMs), timeline.MinValue, timeline.MaxValue);
        if (timeline.Unit.Length > 0) plot.YLabel(timeline.Unit);
        if (timeline.Series.Any(s => s.Points.Count > 0) || timeline.Lines.Count > 0) plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>ScottPlot's DateTime axes take OLE Automation dates; the page's times are UTC.</summary>
    private static double OaDate(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToOADate();
}
