namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Percentiles of inference time without allocation: counts in fixed buckets of 1 µs up to 1 ms, then
/// 100 µs up to 100 ms; anything longer lands in the last bucket. Reset after each Health frame.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int FineBuckets = 1000;      // 0..999 µs, 1 µs wide
    private const int CoarseBuckets = 991;     // 1 ms..100 ms, 100 µs wide
    private readonly long[] _counts = new long[FineBuckets + CoarseBuckets];
    private long _total;
    private long _maxMicroseconds;

    /// <summary>Samples recorded since the last reset.</summary>
    public long Count => _total;

    /// <summary>Records one duration.</summary>
    public void Record(long microseconds)
    {
        if (microseconds < 0) microseconds = 0;
        int bucket = microseconds < FineBuckets
            ? (int)microseconds
            : FineBuckets + (int)Math.Min(CoarseBuckets - 1, (microseconds - FineBuckets) / 100);
        _counts[bucket]++;
        _total++;
        if (microseconds > _maxMicroseconds) _maxMicroseconds = microseconds;
    }

    /// <summary>The longest duration recorded, in µs.</summary>
    public long MaxMicroseconds => _maxMicroseconds;

    /// <summary>The smallest bucket bound below which the given fraction of samples fall (0 when empty).</summary>
    public long Percentile(double fraction)
    {
        if (_total == 0) return 0;
        long rank = (long)Math.Ceiling(fraction * _total);
        long seen = 0;
        for (int b = 0; b < _counts.Length; b++)
        {
            seen += _counts[b];
            if (seen >= rank)
                return b < FineBuckets ? b : FineBuckets + (long)(b - FineBuckets) * 100;
        }
        return _maxMicroseconds;
    }

    /// <summary>Forgets every sample.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _total = 0;
        _maxMicroseconds = 0;
    }
}
