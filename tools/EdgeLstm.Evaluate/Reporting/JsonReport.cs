using System.Text.Json.Nodes;
using EdgeLstm.Evaluate.Evaluation;

namespace EdgeLstm.Evaluate.Reporting;

/// <summary>Writes pooled and per-recording counts as JSON (for comparing with the trainer's results/*.json).</summary>
public static class JsonReport
{
    /// <summary>Builds the JSON text.</summary>
    /// <param name="results">The results.</param>
    /// <returns>Indented JSON: a list of runs, each with pooled metrics and per-recording counts and alarm changes.</returns>
    public static string Build(IEnumerable<EvaluationResult> results)
    {
        var runs = new JsonArray();
        foreach (EvaluationResult r in results)
        {
            var files = new JsonObject();
            foreach (RecordingResult rec in r.Recordings)
            {
                files[rec.Recording.Name] = new JsonObject
                {
                    ["tp"] = rec.Counts.TruePositives,
                    ["fp"] = rec.Counts.FalsePositives,
                    ["fn"] = rec.Counts.FalseNegatives,
                    ["tn"] = rec.Counts.TrueNegatives,
                    ["alarms"] = new JsonArray([.. rec.Trace.Alarms.Select(a => (JsonNode)new JsonObject { ["sample"] = a.Sample, ["raised"] = a.Raised, ["score"] = a.Score })]),
                    ["model_bytes"] = rec.ModelBytes,
                };
            }

            runs.Add(new JsonObject
            {
                ["variant"] = r.Variant,
                ["precision"] = MarkdownReport.Name(r),
                ["factor_key"] = r.FactorKey,
                ["f1"] = r.Pooled.F1,
                ["far"] = r.Pooled.FalseAlarmRate,
                ["mar"] = r.Pooled.MissedAlarmRate,
                ["per_file"] = files,
            });
        }

        return runs.ToJsonString(new() { WriteIndented = true });
    }
}
