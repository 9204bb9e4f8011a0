using System.Globalization;
using System.Text;
using EdgeLstm.Collector.Monitor.Charts;

namespace EdgeLstm.Collector.Monitor.Svg;

/// <summary>
/// Draws a <see cref="Timeline"/> as inline SVG on the server: shaded alarm periods, a value grid, time ticks, one
/// polyline per series, the threshold lines (raise solid, clear dashed) and a legend. No script is needed to see a chart; live pages swap in a newly drawn one.
/// </summary>
internal static class TimelineSvg
{
    private const int Width = 1100;
    private const int Left = 56;
    private const int Right = 16;
    private const int Top = 30;
    private const int Bottom = 26;

    /// <summary>The SVG element, <paramref name="height"/> pixels tall in its own coordinates.</summary>
    public static string Render(Timeline timeline, int height = 240)
    {
        int plotWidth = Width - Left - Right;
        int plotHeight = height - Top - Bottom;
        double span = timeline.ToUnixMs - timeline.FromUnixMs;
        double valueSpan = timeline.MaxValue - timeline.MinValue;
        double X(long t) => Left + (t - timeline.FromUnixMs) / span * plotWidth;
        double Y(double v) => Top + plotHeight - (Math.Clamp(v, timeline.MinValue, timeline.MaxValue) - timeline.MinValue) / valueSpan * plotHeight;

        var svg = new StringBuilder(4096 + timeline.PointCount * 16);
        svg.Add($"<svg class=\"chart\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Html.Encode(timeline.Title)}\" data-points=\"{timeline.PointCount}\">");
        svg.Add($"<text class=\"chart-title\" x=\"{Left}\" y=\"16\">{Html.Encode(timeline.Title)}</text>");
        foreach (AlarmPeriod alarm in timeline.Alarms)
        {
            double x0 = Math.Max(Left, X(alarm.FromUnixMs));
            double x1 = Math.Min(Left + plotWidth, X(alarm.ToUnixMs ?? timeline.ToUnixMs));
            svg.Add($"<rect class=\"alarm-band\" x=\"{x0:0.#}\" y=\"{Top}\" width=\"{Math.Max(1, x1 - x0):0.#}\" height=\"{plotHeight}\"><title>alarm: {Html.Encode(alarm.Label)}</title></rect>");
        }
        for (int i = 0; i <= 4; i++)
        {
            double value = timeline.MinValue + valueSpan * i / 4;
            double y = Y(value);
            svg.Add($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Add($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Html.Number(value, value >= 10 ? "0" : "0.##")}</text>");
        }
        for (int i = 0; i <= 5; i++)
        {
            long t = timeline.FromUnixMs + (long)(span * i / 5);
            svg.Add($"<text class=\"tick\" x=\"{X(t):0.#}\" y=\"{height - 8}\" text-anchor=\"{(i == 0 ? "start" : i == 5 ? "end" : "middle")}\">{TickLabel(t, span)}</text>");
        }
        if (timeline.Unit.Length > 0) svg.Add($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Top - 8}\" text-anchor=\"end\">{Html.Encode(timeline.Unit)}</text>");
        svg.Add($"<rect class=\"frame\" x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\"/>");
        foreach (Series series in timeline.Series.Where(s => s.Points.Count > 0))
        {
            svg.Add($"<polyline class=\"series\" stroke=\"{series.Colour}\" data-points=\"{series.Points.Count}\" points=\"");
            foreach (TimePoint point in series.Points) svg.Add($"{X(point.UnixMs):0.#},{Y(point.Value):0.#} ");
            svg.Add($"\"><title>{Html.Encode(series.Name)}</title></polyline>");
        }
        foreach (ThresholdLine line in timeline.Lines)
        {
            double y = Y(line.Value);
            svg.Add($"<line class=\"threshold\" stroke=\"{line.Colour}\"{Dash(line)} data-value=\"{Html.Number(line.Value, "0.####")}\" x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"><title>{Html.Encode(line.Name)}</title></line>");
        }
        if (timeline.PointCount == 0)
        {
            svg.Add($"<text class=\"empty\" x=\"{Left + plotWidth / 2}\" y=\"{Top + plotHeight / 2}\" text-anchor=\"middle\">No data in this time range</text>");
        }
        Legend(svg, timeline);
        return svg.Append("</svg>").ToString();
    }

    private static void Legend(StringBuilder svg, Timeline timeline)
    {
        double x = Width - Right;
        // Right-aligned, last entry first, each as wide as its text roughly is.
        IEnumerable<(string Name, string Colour, string Dash)> entries = timeline.Series.Select(s => (s.Name, s.Colour, ""));
        entries = entries.Concat(timeline.Lines.Select(l => (l.Name, l.Colour, Dash(l))));
        if (timeline.Alarms.Count > 0) entries = entries.Append(("alarm", "alarm", ""));
        foreach ((string name, string colour, string dash) in entries.Reverse())
        {
            x -= 22 + name.Length * 7;
            string swatch = colour == "alarm"
                ? $"<rect class=\"alarm-band\" x=\"{x:0.#}\" y=\"6\" width=\"14\" height=\"12\"/>"
                : $"<line stroke=\"{colour}\" stroke-width=\"3\"{dash} x1=\"{x:0.#}\" x2=\"{x + 14:0.#}\" y1=\"12\" y2=\"12\"/>";
            svg.Add($"{swatch}<text class=\"legend\" x=\"{x + 18:0.#}\" y=\"16\">{Html.Encode(name)}</text>");
        }
    }

    /// <summary>The dash attribute of a clear threshold's line (raise lines are solid).</summary>
    private static string Dash(ThresholdLine line) => line.Dashed ? " stroke-dasharray=\"6 4\"" : "";

    private static string TickLabel(long unixMs, double spanMs)
    {
        DateTime time = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        return time.ToString(spanMs > 2 * 86_400_000 ? "MM-dd HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
