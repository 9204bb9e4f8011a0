using System.Text.Json;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Charts;

/// <summary>
/// The series of a device's charts, shared by the web page (<see cref="Svg.TimelineSvg"/>) and the <c>plot</c>
/// command (ScottPlot), so both show the same thing: the anomaly score and class probabilities (0…1) over time with
/// alarm periods and the alarm thresholds of the latest Health, and from Health the inference latency and each channel's read errors.
/// </summary>
internal static class DeviceTimelines
{
    /// <summary>More points than a chart's width can show only cost bytes: longer series keep every n-th point.</summary>
    public const int MaxPointsPerSeries = 2000;

    private static readonly string[] Palette = ["#1f5fbf", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#0b7285", "#e67700", "#5c940d"];

    /// <summary>The colour of the first alarm rule's threshold lines (others take the palette's).</summary>
    private const string ThresholdColour = "#495057";

    /// <summary>
    /// The anomaly score and class probabilities of <paramref name="predictions"/>, with the alarm periods and the
    /// thresholds of <paramref name="latestHealth"/> (the latest Health in the range, if any).
    /// </summary>
    public static Timeline Outputs(IReadOnlyList<PredictionRecord> predictions, IReadOnlyList<AlarmRecord> alarms, IReadOnlyList<string> labels, TimeRange range,
        HealthRecord? latestHealth = null)
    {
        List<PredictionRecord> timed = predictions.Where(p => p.TimeUnixMs is not null).ToList();
        var series = new List<Series> { new("anomaly score", Palette[0], Thin(timed.Select(p => new TimePoint(p.TimeUnixMs!.Value, p.AnomalyLevel / 127.0)))) };
        int classes = timed.Count == 0 ? 0 : timed.Max(p => p.Probabilities.Length);
        for (int c = 0; c < classes; c++)
        {
            int index = c;
            string name = index < labels.Count ? labels[index] : $"class {index}";
            series.Add(new Series($"p({name})", Palette[(index + 1) % Palette.Length],
                Thin(timed.Where(p => p.Probabilities.Length > index).Select(p => new TimePoint(p.TimeUnixMs!.Value, p.Probabilities[index] / 255.0)))));
        }
        (long from, long to) = Span(range, timed.Select(p => p.TimeUnixMs!.Value));
        return new Timeline("Anomaly score and class probabilities", series, Periods(alarms, labels, from, to), from, to, 0, 1, "",
            Thresholds(latestHealth?.AlarmThresholds ?? [], classifier: classes > 0));
    }

    /// <summary>
    /// The threshold lines on the output chart's 0…1 scale. A classifier's scores are probabilities (the first rule's
    /// is the anomaly score the chart draws; the others score a class probability), so every rule's thresholds are
    /// drawn as they are. A model reproducing its inputs scores a residual, and the anomaly score the board sends is
    /// the first rule's residual / (2 × its raise threshold): its raise line is at 0.5 and its clear line at
    /// clear / (2 × raise). The other rules' residuals are on no drawn scale, so they get no line. A rule not
    /// commissioned yet (NaN) or a line off the scale is left out.
    /// </summary>
    public static IReadOnlyList<ThresholdLine> Thresholds(IReadOnlyList<float> thresholds, bool classifier)
    {
        var lines = new List<ThresholdLine>();
        int rules = classifier ? thresholds.Count / 2 : Math.Min(1, thresholds.Count / 2);
        for (int r = 0; r < rules; r++)
        {
            double raise = thresholds[2 * r], clear = thresholds[2 * r + 1];
            if (!classifier)
            {
                if (!(raise > 0)) break;
                (raise, clear) = (0.5, clear / (2 * raise));
            }
            string rule = thresholds.Count > 2 ? $"rule {r + 1} " : "";
            string colour = r == 0 ? ThresholdColour : Palette[(r + 4) % Palette.Length];
            if (double.IsFinite(raise) && raise is >= 0 and <= 1) lines.Add(new ThresholdLine($"{rule}raise threshold", colour, raise, Dashed: false));
            if (double.IsFinite(clear) && clear is >= 0 and <= 1) lines.Add(new ThresholdLine($"{rule}clear threshold", colour, clear, Dashed: true));
        }
        return lines;
    }

    /// <summary>Inference latency p50/p99 (ms) from Health.</summary>
    public static Timeline Latency(IReadOnlyList<HealthRecord> health, TimeRange range)
    {
        List<HealthRecord> timed = health.Where(h => h.TimeUnixMs is not null).ToList();
        Series[] series =
        [
            new("p50", Palette[2], Thin(timed.Select(h => new TimePoint(h.TimeUnixMs!.Value, h.InferenceP50Us / 1000.0)))),
            new("p99", Palette[1], Thin(timed.Select(h => new TimePoint(h.TimeUnixMs!.Value, h.InferenceP99Us / 1000.0)))),
        ];
        (long from, long to) = Span(range, timed.Select(h => h.TimeUnixMs!.Value));
        return new Timeline("Inference latency", series, [], from, to, 0, NiceMax(series), "ms");
    }

    /// <summary>Each channel's read errors (the board's running count) from Health.</summary>
    public static Timeline ReadErrors(IReadOnlyList<HealthRecord> health, IReadOnlyList<string> channels, TimeRange range)
    {
        List<(long Time, uint[] Errors)> timed = health.Where(h => h.TimeUnixMs is not null)
            .Select(h => (h.TimeUnixMs!.Value, JsonSerializer.Deserialize(h.ChannelReadErrors, CollectorJson.Default.UInt32Array) ?? [])).ToList();
        int count = timed.Count == 0 ? 0 : timed.Max(h => h.Errors.Length);
        var series = new List<Series>();
        for (int c = 0; c < count; c++)
        {
            int index = c;
            series.Add(new Series(index < channels.Count ? channels[index] : $"channel {index}", Palette[index % Palette.Length],
                Thin(timed.Where(h => h.Errors.Length > index).Select(h => new TimePoint(h.Time, h.Errors[index])))));
        }
        (long from, long to) = Span(range, timed.Select(h => h.Time));
        return new Timeline("Read errors per channel", series, [], from, to, 0, Math.Max(1, NiceMax(series)), "");
    }

    /// <summary>Raise-to-clear periods of each alarm class that overlap [from, to); an alarm still raised runs to the end.</summary>
    public static IReadOnlyList<AlarmPeriod> Periods(IReadOnlyList<AlarmRecord> alarms, IReadOnlyList<string> labels, long from, long to)
    {
        return AlarmPairs.Pair(alarms.Where(a => a.TimeUnixMs is not null).ToList())
            .Select(p => new AlarmPeriod(p.Raise.TimeUnixMs!.Value, p.Clear?.TimeUnixMs, ClassName(p.Raise.ClassIndex, labels), p.Raise.Score))
            .Where(p => p.FromUnixMs < to && (p.ToUnixMs ?? long.MaxValue) > from).OrderBy(p => p.FromUnixMs).ToList();
    }

    /// <summary>What an alarm's class index names: −1 is the anomaly score, others index the output labels.</summary>
    public static string ClassName(int classIndex, IReadOnlyList<string> labels) =>
        classIndex < 0 ? "anomaly score" : classIndex < labels.Count ? labels[classIndex] : $"class {classIndex}";

    private static TimePoint[] Thin(IEnumerable<TimePoint> points)
    {
        TimePoint[] all = points.ToArray();
        if (all.Length <= MaxPointsPerSeries) return all;
        int stride = (all.Length + MaxPointsPerSeries - 1) / MaxPointsPerSeries;
        return all.Where((_, i) => i % stride == 0 || i == all.Length - 1).ToArray();
    }

    /// <summary>The range asked for, narrowed to the data in it (a day's range of a board that ran ten minutes shows those ten minutes); an hour before now without data.</summary>
    private static (long From, long To) Span(TimeRange range, IEnumerable<long> times)
    {
        long[] all = times.ToArray();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long from = all.Length > 0 ? Math.Max(range.FromUnixMs ?? long.MinValue, all.Min()) : range.FromUnixMs ?? now - 3_600_000;
        long to = all.Length > 0 ? Math.Min(range.ToUnixMs ?? long.MaxValue, all.Max()) : range.ToUnixMs ?? now;
        return (from, Math.Max(to, from + 1000));
    }

    private static double NiceMax(IEnumerable<Series> series)
    {
        double max = series.SelectMany(s => s.Points).Select(p => p.Value).DefaultIfEmpty(0).Max();
        return max <= 0 ? 1 : max * 1.1;
    }
}
