using EdgeLstm.Evaluate.Runtime;

namespace EdgeLstm.Evaluate.Metrics;

/// <summary>Turns the runtime's alarm changes into a per-row alarm state.</summary>
public static class AlarmTimeline
{
    /// <summary>
    /// The alarm state of every row: off until the first change; a raise at sample i makes row i and later rows on,
    /// a clear at sample j makes row j and later rows off (the state holds between changes).
    /// </summary>
    /// <param name="rowCount">Rows in the recording.</param>
    /// <param name="changes">Alarm changes in stream order.</param>
    /// <returns>One flag per row.</returns>
    /// <exception cref="EvaluationException">Changes out of order or outside the recording.</exception>
    public static bool[] Reconstruct(int rowCount, IEnumerable<TracedAlarmChange> changes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        var state = new bool[rowCount];
        int from = 0;
        bool on = false;
        foreach (TracedAlarmChange change in changes)
        {
            if (change.Sample < from || change.Sample >= rowCount)
            {
                throw new EvaluationException($"alarm change at sample {change.Sample} is out of order or outside the {rowCount} rows");
            }

            Array.Fill(state, on, from, change.Sample - from);
            from = change.Sample;
            on = change.Raised;
        }

        Array.Fill(state, on, from, rowCount - from);
        return state;
    }
}
