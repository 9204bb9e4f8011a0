namespace EdgeLstm.Collector.Monitor.Charts;

/// <summary>One line of a chart: its name (may come from a board: encode it), colour and points (Unix ms, value).</summary>
internal sealed record Series(string Name, string Colour, IReadOnlyList<TimePoint> Points);

/// <summary>A point of a series.</summary>
internal readonly record struct TimePoint(long UnixMs, double Value);

/// <summary>A time an alarm was raised until it cleared (<see cref="ToUnixMs"/> null: still raised).</summary>
internal sealed record AlarmPeriod(long FromUnixMs, long? ToUnixMs, string Label, float Score);

/// <summary>A horizontal line across a chart: an alarm rule's raise threshold (solid) or clear threshold (dashed), on the chart's value scale.</summary>
internal sealed record ThresholdLine(string Name, string Colour, double Value, bool Dashed);

/// <summary>What one chart shows: the series, the alarm periods to shade, the time span, the value axis and any threshold lines.</summary>
internal sealed record Timeline(string Title, IReadOnlyList<Series> Series, IReadOnlyList<AlarmPeriod> Alarms, long FromUnixMs, long ToUnixMs,
    double MinValue, double MaxValue, string Unit, IReadOnlyList<ThresholdLine>? Thresholds = null)
{
    /// <summary>The threshold lines to draw (none when not given).</summary>
    public IReadOnlyList<ThresholdLine> Lines => Thresholds ?? [];

    /// <summary>Points in all series.</summary>
    public int PointCount => Series.Sum(s => s.Points.Count);
}
