using System.Diagnostics;

namespace EdgeLstm.LoadTest.Measurement;

/// <summary>
/// One board's sent frames by sequence: when each was handed to the MQTT client, and whether a range Ack has covered
/// it yet. An Ack turns each newly covered frame into a latency sample; Acks covering a frame again are ignored.
/// </summary>
internal sealed class SentLedger(LatencyHistogram latencies)
{
    private const long Acknowledged = -1;
    private readonly Lock _lock = new();
    private long[] _sentAt = new long[64]; // Stopwatch timestamps by sequence; Acknowledged once covered; 0: never sent
    private long _sent;
    private long _acked;

    /// <summary>Frames recorded as sent.</summary>
    public long Sent
    {
        get { lock (_lock) return _sent; }
    }

    /// <summary>Frames an Ack has covered.</summary>
    public long Acked
    {
        get { lock (_lock) return _acked; }
    }

    /// <summary>Records that <paramref name="sequence"/> was handed over at <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void RecordSent(ulong sequence, long timestamp)
    {
        lock (_lock)
        {
            if ((long)sequence >= _sentAt.Length) Array.Resize(ref _sentAt, Math.Max(_sentAt.Length * 2, (int)sequence + 1));
            _sentAt[sequence] = timestamp;
            _sent++;
        }
    }

    /// <summary>Marks <paramref name="lowest"/>…<paramref name="highest"/> acknowledged at <paramref name="timestamp"/>; returns how many were new.</summary>
    public int RecordAck(ulong lowest, ulong highest, long timestamp)
    {
        int fresh = 0;
        lock (_lock)
        {
            ulong last = Math.Min(highest, (ulong)_sentAt.Length - 1);
            for (ulong s = lowest; s <= last && lowest <= highest; s++)
            {
                long sentAt = _sentAt[s];
                if (sentAt is Acknowledged or 0) continue; // already covered, or an Ack for what this run never sent
                _sentAt[s] = Acknowledged;
                latencies.Record((long)Stopwatch.GetElapsedTime(sentAt, timestamp).TotalMicroseconds);
                fresh++;
            }
            _acked += fresh;
        }
        return fresh;
    }

    /// <summary>The sequences sent and never acknowledged, lowest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ulong> Unacknowledged(int limit)
    {
        var missing = new List<ulong>();
        lock (_lock)
        {
            for (int s = 0; s < _sentAt.Length && missing.Count < limit; s++)
            {
                if (_sentAt[s] is not (Acknowledged or 0)) missing.Add((ulong)s);
            }
        }
        return missing;
    }
}
