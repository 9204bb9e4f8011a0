namespace EdgeLstm.LoadTest.Measurement;

/// <summary>
/// A thread-safe log-linear histogram of latencies in microseconds: 64 linear buckets per power of two, so any
/// percentile read from it is within 1/64 (1.6 %) of the true value, in fixed memory however many frames a run sends.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int BucketCount = (2 + 40) * SubBuckets; // up to 2^46 µs ≈ 2 years: nothing overflows
    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _max;

    /// <summary>Values recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The largest value recorded, exactly (0 when empty).</summary>
    public long MaxMicroseconds => Interlocked.Read(ref _max);

    /// <summary>Records one latency; negative values count as 0.</summary>
    public void Record(long microseconds)
    {
        long value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        long max;
        while (value > (max = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, max) != max)
        {
            // another thread raised it meanwhile: read again
        }
    }

    /// <summary>
    /// The value at percentile <paramref name="percent"/> (0 &lt; p ≤ 100): the smallest bucket whose cumulative count
    /// reaches p % of all values, reported as that bucket's upper edge (never below the truth), capped at the max.
    /// 0 when nothing was recorded.
    /// </summary>
    public long Percentile(double percent)
    {
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile is above 0 and at most 100");
        long total = Count;
        if (total == 0) return 0;
        long rank = (long)Math.Ceiling(total * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return Math.Min(UpperEdgeOf(i), MaxMicroseconds);
        }
        return MaxMicroseconds;
    }

    /// <summary>
    /// The bucket of a value: below 128 each value has its own; above, a value's 7 leading bits (64…127) after shifting
    /// it right by <c>shift</c> pick one of 64 buckets of width 2^shift.
    /// </summary>
    internal static int IndexOf(long value)
    {
        if (value < 2 * SubBuckets) return (int)value;
        int shift = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits; // ≥ 1
        long top = value >> shift; // 64…127
        return Math.Min(2 * SubBuckets + (shift - 1) * SubBuckets + (int)(top - SubBuckets), BucketCount - 1);
    }

    /// <summary>The largest value that falls in bucket <paramref name="index"/>.</summary>
    internal static long UpperEdgeOf(int index)
    {
        if (index < 2 * SubBuckets) return index;
        int shift = (index - 2 * SubBuckets) / SubBuckets + 1;
        long top = (index - 2 * SubBuckets) % SubBuckets + SubBuckets;
        return ((top + 1) << shift) - 1;
    }
}
