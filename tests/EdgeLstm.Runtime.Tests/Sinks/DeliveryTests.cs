using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>
/// Acknowledged delivery through the journal, with the runtime wired as <c>edgelstm run</c> wires it and a real
/// TCP collector on loopback that goes down, stalls, resets and comes back. Timeouts are short so a test takes
/// seconds; every wait is bounded.
/// </summary>
public sealed class DeliveryTests : IDisposable
{
    private static readonly DeliveryTimings Quick = BoardRun.Quick;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly AckingCollector _collector = new();
    private readonly StringWriter _logText = new();
    private readonly TextWriter _log;

    public DeliveryTests() => _log = TextWriter.Synchronized(_logText);

    public void Dispose() => _collector.Dispose();

    private TestBoard Board(string? journal = null) =>
        new(sinks: $$"""[ { "type": "tcp", "host": "127.0.0.1", "port": {{_collector.Port}} } ]""", journal: journal);

    private bool AllArrived(BoardRun run) => _collector.WaitUntil(c => c.Count == (int)run.Emitter.NextSequence, Patience);

    /// <summary>The first sequences below <paramref name="count"/> that did not arrive, for failure messages.</summary>
    private string Missing(ulong count)
    {
        SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> frames = _collector.Frames();
        IEnumerable<ulong> missing = Enumerable.Range(0, (int)count).Select(i => (ulong)i).Where(s => !frames.ContainsKey(s)).Take(10);
        return $"missing: {string.Join(", ", missing)}; {_collector.Errors} undecodable, last: {_collector.LastError}";
    }

    private void AssertContiguous(ulong count)
    {
        SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> frames = _collector.Frames();
        Assert.True(frames.Count == (int)count && frames.Keys.Last() == count - 1,
            $"{frames.Count} distinct frames arrived, highest #{frames.Keys.LastOrDefault()}, {count} emitted; log:\n{_logText}");
    }

    [Fact]
    public void Ten_minutes_of_a_collector_outage_at_100_Hz_all_arrive_after_it_comes_back()
    {
        using TestBoard board = Board();
        _collector.GoDown();
        using var run = new BoardRun(board, Quick, Path.Combine(board.Directory, "journal"), _log);

        run.Steps(100 * 600); // ten minutes of board time at 100 Hz, on the fast clock
        Assert.Equal(0, _collector.Count);
        Assert.True(run.Sink.Backlog >= 60_000, $"backlog {run.Sink.Backlog}");

        _collector.ComeUp();
        run.Steps(100 * 60);
        Assert.True(AllArrived(run), $"{_collector.Count} of {run.Emitter.NextSequence} arrived, {Missing(run.Emitter.NextSequence)}; log:\n{_logText}");
        AssertContiguous(run.Emitter.NextSequence);

        // What waited in the journal went out marked historical, and the alarm raised during the outage arrived.
        SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> frames = _collector.Frames();
        Assert.True(frames.Values.Count(f => f.Flags.HasFlag(FrameFlags.Historical)) >= 60_000);
        Assert.Equal(run.Pipeline.AlarmChanges, frames.Values.Count(f => f.Type == FrameType.Alarm));
        Assert.True(run.Pipeline.AlarmChanges > 0);
        Assert.Equal(0L, run.Journal.Counters.Evicted);
        Assert.True(run.Sink.WaitForAcknowledgements(Patience));
        // The journal counts what Acks cover on its writer thread, a moment after the sink has seen them.
        Assert.True(SpinWait.SpinUntil(() => run.Journal.Counters.Backlog == 0, Patience), $"journal backlog {run.Journal.Counters.Backlog}");
    }

    [Fact]
    public void A_journal_too_small_for_the_outage_evicts_the_oldest_predictions_counts_them_and_keeps_every_alarm()
    {
        using TestBoard board = Board();
        string directory = Path.Combine(board.Directory, "journal");
        File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath).Replace("\"health\":", $$"""
            "journal": { "path": "journal", "maxBytes": 65536 }, "health":
            """, StringComparison.Ordinal));
        _collector.GoDown();
        using var run = new BoardRun(board, Quick, null, _log);

        run.Steps(100 * 600);
        // The journal's writer thread may lag the steps (CI shares 2 cores): let it write and evict everything first,
        // so no frame is evicted after it was sent, which would count it both as arrived and as evicted.
        Assert.True(run.Journal.Flush(Patience), "the journal wrote what was appended");
        JournalCounters outage = run.Journal.Counters;
        Assert.True(outage.EvictedPredictions > 0, "the journal is far smaller than ten minutes of frames");
        Assert.True(outage.BytesOnStorage <= 65536 + 4096, $"{outage.BytesOnStorage} bytes kept");

        _collector.ComeUp();
        Assert.True(AllArrivedOrEvicted(run), $"{_collector.Count} arrived, {run.Journal.Counters.Evicted} evicted, {run.Journal.Counters.Dropped} dropped, {run.Emitter.NextSequence} emitted, journal backlog {run.Journal.Counters.Backlog}; log:\n{_logText}");
        SortedDictionary<ulong, (FrameType Type, FrameFlags Flags)> frames = _collector.Frames();
        JournalCounters end = run.Journal.Counters;
        Assert.Equal((long)run.Emitter.NextSequence, frames.Count + (long)end.Evicted + end.Dropped);
        Assert.Equal(run.Pipeline.AlarmChanges, frames.Values.Count(f => f.Type == FrameType.Alarm));
        Assert.Contains("evicting", _logText.ToString(), StringComparison.Ordinal);
    }

    private bool AllArrivedOrEvicted(BoardRun run) => _collector.WaitUntil(
        c => c.Count + (long)run.Journal.Counters.Evicted + run.Journal.Counters.Dropped == (long)run.Emitter.NextSequence && run.Journal.Counters.Backlog == 0,
        Patience);

    [Theory]
    [InlineData(nameof(CollectorBehaviour.NeverRead))]
    [InlineData(nameof(CollectorBehaviour.NeverAcknowledge))]
    [InlineData(nameof(CollectorBehaviour.ResetMidFrame))]
    public void A_collector_that_stalls_or_resets_fails_the_link_which_reconnects_and_delivers_once_it_behaves(string behaviourName)
    {
        _collector.Behaviour = Enum.Parse<CollectorBehaviour>(behaviourName);
        using TestBoard board = Board();
        using var run = new BoardRun(board, Quick, Path.Combine(board.Directory, "journal"), _log);

        // Sampling goes on at full speed while the link is stuck: nothing waits on the sink.
        run.Steps(20_000);
        Assert.True(_collector.WaitUntil(_ => run.Sink.Reconnects > 0 || run.Sink.Failure is not null, Patience),
            $"the sink never noticed the {behaviourName} collector; log:\n{_logText}");

        _collector.Behaviour = CollectorBehaviour.Acknowledge;
        run.Steps(1000);
        Assert.True(AllArrived(run), $"{_collector.Count} of {run.Emitter.NextSequence} arrived, {Missing(run.Emitter.NextSequence)}; log:\n{_logText}");
        AssertContiguous(run.Emitter.NextSequence);
        Assert.True(run.Sink.WaitForAcknowledgements(Patience));
    }

    [Fact]
    public void Frames_journaled_in_one_run_are_delivered_by_the_next_and_sequences_continue()
    {
        using TestBoard board = Board();
        string directory = Path.Combine(board.Directory, "journal");
        _collector.GoDown();
        ulong firstRunEnd;
        using (var first = new BoardRun(board, Quick, directory, _log))
        {
            first.Steps(3000);
            firstRunEnd = first.Emitter.NextSequence;
        }
        _collector.ComeUp();
        using var second = new BoardRun(board, Quick, directory, _log);
        second.Steps(1000);
        Assert.True(AllArrived(second), $"{_collector.Count} of {second.Emitter.NextSequence} arrived, {Missing(second.Emitter.NextSequence)}; log:\n{_logText}");
        AssertContiguous(second.Emitter.NextSequence);
        List<HelloFrame> hellos = _collector.Hellos();
        Assert.Equal(2, hellos.Select(h => h.SessionId).Distinct().Count());
        Assert.Contains(hellos, h => h.Sequence == firstRunEnd); // the second run's Hello took the number after the first run's last frame
    }

    [Fact]
    public void The_sampling_thread_allocates_nothing_per_sample_with_the_journal_and_acknowledged_delivery_on()
    {
        using TestBoard board = Board();
        using var run = new BoardRun(board, Quick, Path.Combine(board.Directory, "journal"), _log);
        run.Steps(2000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        run.Steps(5000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated over 5000 samples");
        Assert.True(AllArrived(run));
    }
}
