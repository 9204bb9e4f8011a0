using System.Globalization;
using System.Text;
using EdgeLstm.Evaluate.Evaluation;
using EdgeLstm.Evaluate.Metrics;

namespace EdgeLstm.Evaluate.Reporting;

/// <summary>Writes evaluation results as markdown tables (pooled, then per recording).</summary>
public static class MarkdownReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One row per result: variant, precision, F1, FAR %, MAR %, counts, model size.</summary>
    /// <param name="results">The results.</param>
    /// <returns>A markdown table.</returns>
    public static string Pooled(IEnumerable<EvaluationResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| Variant | Precision | F1 | FAR % | MAR % | TP | FP | FN | TN | .elstm bytes |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (EvaluationResult r in results)
        {
            Confusion c = r.Pooled;
            (long min, long max) = r.ModelBytes;
            string size = min == max ? min.ToString("N0", Inv) : $"{min.ToString("N0", Inv)}–{max.ToString("N0", Inv)}";
            text.AppendLine(Inv, $"| {r.Variant} ({r.FactorKey}) | {Name(r)} | {c.F1:F3} | {100 * c.FalseAlarmRate:F2} | {100 * c.MissedAlarmRate:F2} | {c.TruePositives} | {c.FalsePositives} | {c.FalseNegatives} | {c.TrueNegatives} | {size} |");
        }

        return text.ToString();
    }

    /// <summary>Per-recording F1/FAR/MAR and the first alarm, for several results side by side.</summary>
    /// <param name="results">Results over the same recordings.</param>
    /// <returns>A markdown table.</returns>
    public static string PerRecording(IReadOnlyList<EvaluationResult> results)
    {
        var text = new StringBuilder();
        text.Append("| Recording | fault rows |");
        foreach (EvaluationResult r in results)
        {
            text.Append(Inv, $" {r.Variant} {Name(r)}: F1 / FAR % / MAR % / alarm changes |");
        }

        text.AppendLine();
        text.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", results.Count)));
        for (int i = 0; i < results[0].Recordings.Count; i++)
        {
            RecordingResult first = results[0].Recordings[i];
            (int start, int end) = FaultSpan(first.Fault);
            text.Append(Inv, $"| {first.Recording.Name} | {(start < 0 ? "none" : $"{start}–{end}")} |");
            foreach (EvaluationResult r in results)
            {
                RecordingResult rec = r.Recordings[i];
                Confusion c = rec.Counts;
                string changes = rec.Trace.Alarms.Count == 0
                    ? "none"
                    : string.Join(", ", rec.Trace.Alarms.Select(a => (a.Raised ? "↑" : "↓") + a.Sample.ToString(Inv)));
                text.Append(Inv, $" {c.F1:F3} / {100 * c.FalseAlarmRate:F1} / {100 * c.MissedAlarmRate:F1} / {changes} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The first and last fault row, or (-1, -1).</summary>
    /// <param name="fault">Labels per row.</param>
    /// <returns>The span.</returns>
    public static (int Start, int End) FaultSpan(bool[] fault) => (Array.IndexOf(fault, true), Array.LastIndexOf(fault, true));

    /// <summary>The precision's display name.</summary>
    /// <param name="result">A result.</param>
    /// <returns>int8 or float32.</returns>
    public static string Name(EvaluationResult result) => result.Precision == Runtime.Precision.Int8 ? "int8" : "float32";
}
