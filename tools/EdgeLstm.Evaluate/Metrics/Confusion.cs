namespace EdgeLstm.Evaluate.Metrics;

/// <summary>Point-wise confusion counts, pooled by adding; F1, FAR and MAR as the SKAB benchmark defines them.</summary>
/// <param name="TruePositives">Fault rows with the alarm on.</param>
/// <param name="FalsePositives">Normal rows with the alarm on.</param>
/// <param name="FalseNegatives">Fault rows with the alarm off.</param>
/// <param name="TrueNegatives">Normal rows with the alarm off.</param>
public readonly record struct Confusion(long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>Rows counted.</summary>
    public long Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>2·TP / (2·TP + FP + FN); 0 when there is no positive row and no alarm (nothing to find, nothing found).</summary>
    public double F1 => Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>False alarm rate FP / (FP + TN); 0 without normal rows.</summary>
    public double FalseAlarmRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Missed alarm rate FN / (FN + TP); 0 without fault rows.</summary>
    public double MissedAlarmRate => Ratio(FalseNegatives, FalseNegatives + TruePositives);

    /// <summary>Adds two sets of counts (pooling over recordings).</summary>
    public static Confusion operator +(Confusion a, Confusion b) => new(
        a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives,
        a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    /// <summary>Counts rows <paramref name="fromRow"/>… of one recording.</summary>
    /// <param name="alarm">The alarm state per row.</param>
    /// <param name="fault">The labels per row.</param>
    /// <param name="fromRow">The first test row (the protocol scores rows ≥ 400).</param>
    /// <returns>The counts.</returns>
    public static Confusion Count(ReadOnlySpan<bool> alarm, ReadOnlySpan<bool> fault, int fromRow)
    {
        if (alarm.Length != fault.Length)
        {
            throw new ArgumentException($"{alarm.Length} alarm states for {fault.Length} labels", nameof(alarm));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(fromRow);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = fromRow; i < alarm.Length; i++)
        {
            switch ((alarm[i], fault[i]))
            {
                case (true, true): tp++; break;
                case (true, false): fp++; break;
                case (false, true): fn++; break;
                default: tn++; break;
            }
        }

        return new Confusion(tp, fp, fn, tn);
    }

    /// <summary>Sums counts.</summary>
    /// <param name="parts">Per-recording counts.</param>
    /// <returns>The pooled counts.</returns>
    public static Confusion Pool(IEnumerable<Confusion> parts) => parts.Aggregate(default(Confusion), (a, b) => a + b);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
