using System.Text.Json;

namespace EdgeLstm.Evaluate.Skab;

/// <summary>A committed model's decision settings (its <c>.decision.json</c>), as the board's decision stage takes them.</summary>
/// <param name="Alpha">EWMA weight of the newest score.</param>
/// <param name="Quantile">Quantile of the smoothed fitting-row scores.</param>
/// <param name="Factor">Threshold = factor × quantile.</param>
/// <param name="OffRatio">Clear threshold = off ratio × threshold.</param>
/// <param name="MinOn">Samples above the threshold before raising.</param>
/// <param name="CalibrationRows">Rows the threshold is fitted on (the protocol's 400).</param>
/// <param name="PythonThreshold">The trainer's float32 threshold, for cross-checking only.</param>
public sealed record DecisionSettings(double Alpha, double Quantile, double Factor, double OffRatio, int MinOn, int CalibrationRows, double PythonThreshold)
{
    /// <summary>Reads a <c>.decision.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="factorKey">Which factor to use: <c>factor</c> (leave-one-file-out), <c>factor_logo</c> or <c>factor_label_free</c>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="EvaluationException">The file is missing or lacks a key.</exception>
    public static DecisionSettings Load(string path, string factorKey = "factor")
    {
        if (!File.Exists(path))
        {
            throw new EvaluationException($"decision settings not found: {path}");
        }

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = doc.RootElement;
        double Number(string key) => root.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : throw new EvaluationException($"{path}: missing number '{key}'");
        string thresholdKey = factorKey.Replace("factor", "threshold", StringComparison.Ordinal);
        return new DecisionSettings(Number("alpha"), Number("quantile"), Number(factorKey), Number("off_ratio"),
            (int)Number("min_on"), (int)Number("train_rows"), Number(thresholdKey));
    }
}
