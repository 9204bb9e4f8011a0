using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void An_empty_histogram_reads_zero()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal((0L, 0L, 0L), (histogram.Count, histogram.Percentile(99), histogram.MaxMicroseconds));
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        foreach (int v in Enumerable.Range(1, 100)) histogram.Record(v);
        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(100));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(99)]
    [InlineData(99.9)]
    public void Percentiles_of_a_wide_spread_are_within_one_sixty_fourth_above_the_truth(double percent)
    {
        var histogram = new LatencyHistogram();
        long[] values = [.. Enumerable.Range(1, 100_000).Select(i => (long)i * 37)]; // 37 µs … 3.7 s
        foreach (long v in values) histogram.Record(v);
        long truth = values[(int)Math.Ceiling(values.Length * percent / 100) - 1];
        long read = histogram.Percentile(percent);
        Assert.InRange(read, truth, truth + truth / 64 + 1);
    }

    [Fact]
    public void The_max_is_exact_and_caps_the_top_percentile()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_001);
        histogram.Record(10);
        Assert.Equal(1_000_001, histogram.MaxMicroseconds);
        Assert.Equal(1_000_001, histogram.Percentile(100));
    }

    [Fact]
    public void Every_bucket_edge_falls_in_its_own_bucket()
    {
        for (int index = 0; index < 2000; index++)
        {
            long edge = LatencyHistogram.UpperEdgeOf(index);
            Assert.Equal(index, LatencyHistogram.IndexOf(edge));
            Assert.Equal(index + 1, LatencyHistogram.IndexOf(edge + 1));
        }
    }

    [Fact]
    public void Negative_values_count_as_zero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        Assert.Equal(0, histogram.Percentile(50));
    }

    [Fact]
    public void A_percentile_outside_0_to_100_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().Percentile(0));
}
