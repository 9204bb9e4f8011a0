using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Ingest;

/// <summary>Commits an ingest's batch and counts the outcome; what to do about a failure (no acknowledgement, drop the link) is the ingest's.</summary>
internal static class BatchCommit
{
    /// <summary>
    /// Commits <paramref name="batch"/> (an empty one without a transaction) and counts it stored and duplicated, or,
    /// when the store threw, a commit failure with the batch dropped. False with <paramref name="failure"/> saying why.
    /// </summary>
    public static bool TryCommit(IFrameStore store, IReadOnlyList<ReceivedFrame> batch, IngestCounters counters, out string failure)
    {
        try
        {
            CommitResult result = batch.Count > 0 ? store.Commit(batch) : default;
            counters.AddCommitted(result.Stored, result.Duplicates);
            failure = "";
            return true;
        }
#pragma warning disable CA1031 // any store failure means the same to an ingest: nothing of the batch is acknowledged
        catch (Exception e)
#pragma warning restore CA1031
        {
            counters.AddCommitFailure();
            counters.AddDropped(batch.Count);
            failure = $"storing {batch.Count} frames failed ({e.GetType().Name}: {e.Message})";
            return false;
        }
    }
}
