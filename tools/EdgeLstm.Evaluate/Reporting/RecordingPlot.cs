using EdgeLstm.Evaluate.Evaluation;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;
using ScottPlot;

namespace EdgeLstm.Evaluate.Reporting;

/// <summary>Plots one recording scored on the runtime: channels, the runtime's anomaly value and threshold, alarm state, labelled fault.</summary>
public static class RecordingPlot
{
    /// <summary>Writes the PNG.</summary>
    /// <param name="result">The recording's result.</param>
    /// <param name="caption">Variant and precision, for the title.</param>
    /// <param name="path">The PNG path.</param>
    public static void Save(RecordingResult result, string caption, string path)
    {
        int fittingRows = result.Decision.CalibrationRows;
        (int faultStart, int faultEnd) = MarkdownReport.FaultSpan(result.Fault);
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        Plot channels = multiplot.GetPlot(0), score = multiplot.GetPlot(1), alarm = multiplot.GetPlot(2);

        foreach ((string name, _) in ReplayBoard.Channels)
        {
            // Normalized with the fitting rows only, as the model sees them, so the 8 channels share one axis.
            double[] values = LabelReader.ReadColumn(result.Recording.CsvPath, name);
            double[] fit = values[..Math.Min(fittingRows, values.Length)];
            double mean = fit.Average();
            double std = Math.Sqrt(fit.Select(v => (v - mean) * (v - mean)).Average());
            var line = channels.Add.Signal(values.Select(v => (v - mean) / (std > 0 ? std : 1)).ToArray());
            line.LegendText = name;
            line.LineWidth = 1;
        }

        channels.Title($"SKAB {result.Recording.Name} on the runtime ({caption})");
        channels.YLabel($"channel (z, rows 0–{fittingRows - 1})");
        channels.ShowLegend(Alignment.UpperLeft);

        var anomaly = score.Add.Scatter(result.Trace.Scores.Select(s => (double)s.Sample).ToArray(), result.Trace.Scores.Select(s => (double)s.Anomaly).ToArray());
        anomaly.MarkerSize = 0;
        anomaly.LegendText = "anomaly value (Prediction frames: EWMA score / 2·threshold; 0 while calibrating, capped at 1)";
        var threshold = score.Add.HorizontalLine(0.5);
        threshold.LegendText = "threshold (0.5)";
        threshold.LinePattern = LinePattern.Dashed;
        // The anomaly value is score / (2·threshold), so the clear threshold (clear ratio × threshold) sits at ratio / 2.
        var clear = score.Add.HorizontalLine(result.Decision.OffRatio / 2);
        clear.LegendText = $"clear threshold ({result.Decision.OffRatio / 2:0.###})";
        clear.LinePattern = LinePattern.Dotted;
        score.YLabel("anomaly value");
        score.ShowLegend(Alignment.UpperLeft);

        double[] rows = Enumerable.Range(0, result.Alarm.Length).Select(i => (double)i).ToArray();
        var faultLine = alarm.Add.Scatter(rows, result.Fault.Select(f => f ? 1.0 : 0.0).ToArray());
        faultLine.MarkerSize = 0;
        faultLine.LineWidth = 6;
        faultLine.LegendText = "labelled fault (anomaly = 1)";
        var alarmLine = alarm.Add.Scatter(rows, result.Alarm.Select(a => a ? 0.9 : 0.1).ToArray());
        alarmLine.MarkerSize = 0;
        alarmLine.LineWidth = 2;
        alarmLine.LegendText = "alarm state (Alarm frames)";
        alarm.YLabel("state");
        alarm.XLabel("sample (row, 1 Hz)");
        alarm.ShowLegend(Alignment.UpperLeft);
        alarm.Axes.SetLimitsY(-0.2, 1.6);

        foreach (Plot plot in new[] { channels, score, alarm })
        {
            var fitting = plot.Add.HorizontalSpan(0, fittingRows - 1);
            fitting.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
            if (faultStart >= 0)
            {
                var fault = plot.Add.HorizontalSpan(faultStart, faultEnd);
                fault.FillStyle.Color = Colors.Red.WithAlpha(0.12);
            }

            plot.Axes.SetLimitsX(0, result.Alarm.Length);
        }

        multiplot.SharedAxes.ShareX([channels, score, alarm]);
        multiplot.SavePng(path, 1400, 1000);
    }
}
