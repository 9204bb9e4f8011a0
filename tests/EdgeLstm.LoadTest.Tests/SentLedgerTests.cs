using System.Diagnostics;
using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest.Tests;

public sealed class SentLedgerTests
{
    [Fact]
    public void A_range_Ack_closes_each_frame_once_and_records_its_latency()
    {
        var latencies = new LatencyHistogram();
        var ledger = new SentLedger(latencies);
        long sentAt = Stopwatch.GetTimestamp();
        for (ulong s = 0; s < 10; s++) ledger.RecordSent(s, sentAt);

        Assert.Equal(5, ledger.RecordAck(0, 4, sentAt + Stopwatch.Frequency / 100)); // 10 ms later
        Assert.Equal(0, ledger.RecordAck(2, 3, sentAt + Stopwatch.Frequency)); // again: ignored

        Assert.Equal((10L, 5L), (ledger.Sent, ledger.Acked));
        Assert.Equal([5UL, 6, 7, 8, 9], ledger.Unacknowledged(10));
        Assert.Equal(5, latencies.Count);
        Assert.InRange(latencies.Percentile(100), 9_900, 10_200);
    }

    [Fact]
    public void An_Ack_beyond_what_was_sent_is_ignored()
    {
        var ledger = new SentLedger(new LatencyHistogram());
        ledger.RecordSent(0, Stopwatch.GetTimestamp());
        Assert.Equal(1, ledger.RecordAck(0, 1_000_000, Stopwatch.GetTimestamp()));
        Assert.Empty(ledger.Unacknowledged(10));
    }

    [Fact]
    public void The_ledger_grows_past_its_first_capacity()
    {
        var ledger = new SentLedger(new LatencyHistogram());
        for (ulong s = 0; s < 1000; s++) ledger.RecordSent(s, Stopwatch.GetTimestamp());
        Assert.Equal(1000, ledger.RecordAck(0, 999, Stopwatch.GetTimestamp()));
    }
}
