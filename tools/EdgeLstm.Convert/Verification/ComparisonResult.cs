namespace EdgeLstm.Convert.Verification;

/// <summary>How the .elstm model's outputs compare with ONNX Runtime's on the same data.</summary>
/// <param name="Scheme">What one prediction is: "per step (streaming)" or "per window of N, stride S".</param>
/// <param name="DataDescription">Where the data came from (a CSV path or "random …").</param>
/// <param name="OutputNames">Output names, for tables and plots.</param>
/// <param name="Positions">For each prediction, the time step it ends at.</param>
/// <param name="Onnx">ONNX Runtime's predictions.</param>
/// <param name="Engine">The .elstm engine's predictions.</param>
/// <param name="AllowedError">The largest accepted absolute error (tolerance × max(1, largest |ONNX output|)).</param>
/// <param name="MinAgreement">Least accepted top-1 agreement for classifiers.</param>
/// <param name="IsClassifier">True when top-1 agreement is checked.</param>
public sealed record ComparisonResult(
    string Scheme,
    string DataDescription,
    IReadOnlyList<string> OutputNames,
    int[] Positions,
    float[][] Onnx,
    float[][] Engine,
    float AllowedError,
    double MinAgreement,
    bool IsClassifier)
{
    /// <summary>Number of predictions compared.</summary>
    public int Predictions => Onnx.Length;

    /// <summary>Largest absolute difference of any output in any prediction.</summary>
    public float MaxAbsError => Enumerable.Range(0, OutputNames.Count).Select(MaxAbsErrorOf).DefaultIfEmpty(0).Max();

    /// <summary>Mean absolute difference over all outputs and predictions.</summary>
    public double MeanAbsError =>
        Onnx.Length == 0 ? 0 : Onnx.Select((row, i) => row.Select((v, k) => (double)Math.Abs(v - Engine[i][k])).Average()).Average();

    /// <summary>Largest absolute difference of output <paramref name="k"/>.</summary>
    public float MaxAbsErrorOf(int k) => Onnx.Select((row, i) => Math.Abs(row[k] - Engine[i][k])).DefaultIfEmpty(0).Max();

    /// <summary>Mean absolute difference of output <paramref name="k"/>.</summary>
    public double MeanAbsErrorOf(int k) => Onnx.Select((row, i) => (double)Math.Abs(row[k] - Engine[i][k])).DefaultIfEmpty(0).Average();

    /// <summary>Fraction of predictions whose largest output is the same output in both; null for non-classifiers.</summary>
    public double? Top1Agreement => IsClassifier && Onnx.Length > 0
        ? Onnx.Select((row, i) => ArgMax(row) == ArgMax(Engine[i]) ? 1.0 : 0.0).Average()
        : null;

    /// <summary>True when the error and, for classifiers, the agreement are within the limits.</summary>
    public bool Passed => MaxAbsError <= AllowedError && (Top1Agreement is null || Top1Agreement >= MinAgreement);

    private static int ArgMax(float[] row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
