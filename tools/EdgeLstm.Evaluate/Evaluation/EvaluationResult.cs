using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Runtime;

namespace EdgeLstm.Evaluate.Evaluation;

/// <summary>All recordings of one variant at one precision, and their pooled counts.</summary>
/// <param name="Variant">strict or commissioning.</param>
/// <param name="Precision">The weight precision.</param>
/// <param name="FactorKey">The decision-settings key the factor came from.</param>
/// <param name="Recordings">Per-recording results, in dataset order.</param>
public sealed record EvaluationResult(string Variant, Precision Precision, string FactorKey, IReadOnlyList<RecordingResult> Recordings)
{
    /// <summary>TP/FP/FN/TN pooled over every test part.</summary>
    public Confusion Pooled => Confusion.Pool(Recordings.Select(r => r.Counts));

    /// <summary>Smallest and largest converted model file.</summary>
    public (long Min, long Max) ModelBytes => (Recordings.Min(r => r.ModelBytes), Recordings.Max(r => r.ModelBytes));
}
