using System.Globalization;
using System.Text;
using ScottPlot;

namespace EdgeLstm.Convert.Verification;

/// <summary>Writes a verification as markdown with a PNG plot of ONNX vs .elstm outputs over time.</summary>
public static class ReportWriter
{
    /// <summary>Most outputs drawn in the plot; more would be unreadable.</summary>
    public const int MaxPlottedOutputs = 6;

    /// <summary>Writes <paramref name="markdownPath"/> and, beside it, a PNG with the same base name; returns the PNG path.</summary>
    public static string Write(string markdownPath, ComparisonResult result, string onnxPath, string elstmPath, string modelId)
    {
        ArgumentNullException.ThrowIfNull(result);
        string pngPath = Path.ChangeExtension(markdownPath, ".png");
        Plot(result, pngPath);
        CultureInfo inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# Verification of {Path.GetFileName(elstmPath)}");
        md.AppendLine();
        md.AppendLine(inv, $"- ONNX model: `{onnxPath}` (run in ONNX Runtime)");
        md.AppendLine(inv, $"- .elstm model: `{elstmPath}` (model id `{modelId}`)");
        md.AppendLine(inv, $"- Data: {result.DataDescription}");
        md.AppendLine(inv, $"- Predictions: {result.Predictions}, {result.Scheme}");
        string agreement = result.Top1Agreement is { } a
            ? string.Create(inv, $", top-1 agreement {a:P2} (required {result.MinAgreement:P2})")
            : "";
        md.AppendLine(inv, $"- Result: **{(result.Passed ? "PASSED" : "FAILED")}** — max abs error {result.MaxAbsError:G4} (allowed {result.AllowedError:G4}), mean abs error {result.MeanAbsError:G4}{agreement}");
        md.AppendLine();
        md.AppendLine("| output | max abs error | mean abs error |");
        md.AppendLine("|---|---|---|");
        for (int k = 0; k < result.OutputNames.Count; k++)
            md.AppendLine(inv, $"| {result.OutputNames[k]} | {result.MaxAbsErrorOf(k):G4} | {result.MeanAbsErrorOf(k):G4} |");
        md.AppendLine();
        md.AppendLine(inv, $"![ONNX Runtime vs .elstm outputs over time]({Path.GetFileName(pngPath)})");
        File.WriteAllText(markdownPath, md.ToString());
        return pngPath;
    }

    private static void Plot(ComparisonResult result, string pngPath)
    {
        var plot = new Plot();
        double[] xs = [.. result.Positions.Select(p => (double)p)];
        int outputs = Math.Min(result.OutputNames.Count, MaxPlottedOutputs);
        for (int k = 0; k < outputs; k++)
        {
            Color color = Colors.Category10[k % Colors.Category10.Length];
            var onnx = plot.Add.Scatter(xs, [.. result.Onnx.Select(r => (double)r[k])]);
            onnx.LegendText = $"{result.OutputNames[k]} (ONNX Runtime)";
            onnx.Color = color;
            onnx.LineWidth = 2;
            onnx.MarkerSize = 0;
            var engine = plot.Add.Scatter(xs, [.. result.Engine.Select(r => (double)r[k])]);
            engine.LegendText = $"{result.OutputNames[k]} (.elstm)";
            engine.Color = color;
            engine.LineWidth = 1;
            engine.LinePattern = LinePattern.Dashed;
            engine.MarkerSize = 4;
            engine.MarkerShape = MarkerShape.OpenCircle;
        }
        plot.Title($"ONNX Runtime vs .elstm — max abs error {result.MaxAbsError:G3}");
        plot.XLabel("time step (end of prediction)");
        plot.YLabel("output");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(pngPath, 1100, 550);
    }
}
