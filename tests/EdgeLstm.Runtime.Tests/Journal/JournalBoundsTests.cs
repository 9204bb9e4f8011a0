using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using static EdgeLstm.Runtime.Tests.Journal.JournalTesting;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>The bound: what goes first when the journal is full, exact counts, and a full disk treated the same way.</summary>
public sealed class JournalBoundsTests
{
    [Fact]
    public void Without_acknowledgements_Predictions_go_first_then_Health_and_Alarms_last_within_the_bound()
    {
        const long MaxBytes = 16 << 10;
        var log = new Log();
        var storage = new PowerLossStorage();
        using FrameJournal journal = FrameJournal.Open(storage, new JournalOptions("bounds", MaxBytes, syncIntervalMs: 1, segmentBytes: 4200), log);
        var random = new Random(3);
        var appended = new long[5];
        bool sawHealthEvicted = false, sawAlarmEvicted = false;
        JournalCounters before = journal.Counters;
        for (ulong s = 0; s < 1500; s++)
        {
            // Mostly Predictions at first, then Health and Alarms only, so the bound reaches every priority.
            FrameType kind = s == 0 ? FrameType.Hello : s < 900 ? RandomKind(random) : (s % 3 == 0 ? FrameType.Alarm : FrameType.Health);
            if (kind == FrameType.Hello && s > 0) kind = FrameType.Prediction;
            Assert.True(journal.Append(kind, s, Payload(s, random.Next(20, 120))));
            appended[(int)kind]++;
            Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));

            JournalCounters after = journal.Counters;
            Assert.True(after.BytesOnStorage <= MaxBytes, $"{after.BytesOnStorage} bytes after record {s}");
            Assert.True(storage.SegmentBytes <= MaxBytes);
            List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
            var present = new long[5];
            foreach ((JournalRecord record, _) in records) present[(int)record.Type]++;
            bool newestIs(FrameType type) => records[^1].Record.Sequence == s && records[^1].Record.Type == type;

            if (after.EvictedHealth > before.EvictedHealth)
            {
                // Health went only because no Prediction was left (but the one just written).
                sawHealthEvicted = true;
                Assert.True(present[(int)FrameType.Prediction] == (newestIs(FrameType.Prediction) ? 1 : 0), $"Health evicted at {s} with {present[(int)FrameType.Prediction]} Predictions left");
            }

            if (after.EvictedAlarms > before.EvictedAlarms)
            {
                sawAlarmEvicted = true;
                Assert.True(present[(int)FrameType.Prediction] + present[(int)FrameType.Health] <= 1, $"an Alarm evicted at {s} with Predictions or Health left");
            }

            Assert.Equal(0, after.EvictedHellos); // the one Hello governs every record
            Assert.Equal(1, present[(int)FrameType.Hello]);
            Assert.Equal(appended[(int)FrameType.Prediction], present[(int)FrameType.Prediction] + after.EvictedPredictions);
            Assert.Equal(appended[(int)FrameType.Health], present[(int)FrameType.Health] + after.EvictedHealth);
            Assert.Equal(appended[(int)FrameType.Alarm], present[(int)FrameType.Alarm] + after.EvictedAlarms);
            Assert.Equal(0, after.Dropped);
            Assert.Equal(records.Count, after.Backlog);
            before = after;
        }

        Assert.True(sawHealthEvicted && sawAlarmEvicted, "the run must reach every priority");
        string text = log.Text;
        Assert.Contains("journal full at", text, StringComparison.Ordinal);
        Assert.Contains("evicting the oldest Predictions", text, StringComparison.Ordinal);
        Assert.Contains("no Predictions left to evict; evicting the oldest Health records", text, StringComparison.Ordinal);
        Assert.Contains("no Health records left to evict; evicting the oldest Alarms", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.Contains("evicting the oldest Predictions", StringComparison.Ordinal)); // one line per episode
    }

    [Fact]
    public void Events_go_after_Alarms_and_Hellos_that_govern_nothing_last_named_and_counted_in_the_state_file()
    {
        const long MaxBytes = 16 << 10;
        var log = new Log();
        var storage = new PowerLossStorage();
        var options = new JournalOptions("events", MaxBytes, syncIntervalMs: 1, segmentBytes: 4200);
        long events, hellos;
        using (FrameJournal journal = FrameJournal.Open(storage, options, log))
        {
            // A board that keeps reporting updates, then keeps reconnecting: Events fill the bound, then Hellos alone.
            ulong s = 0;
            Assert.True(AppendWaiting(journal, FrameType.Hello, s, Payload(s++, 80)));
            for (int i = 0; i < 400; i++) Assert.True(AppendWaiting(journal, FrameType.Event, s, Payload(s++, 80)));
            for (int i = 0; i < 400; i++) Assert.True(AppendWaiting(journal, FrameType.Hello, s, Payload(s++, 80)));
            Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));

            JournalCounters counters = journal.Counters;
            Assert.True(counters.BytesOnStorage <= MaxBytes);
            List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
            Assert.Equal(s - 1, records[^1].Record.Sequence);
            Assert.Equal(400, records.Count(r => r.Record.Type == FrameType.Event) + counters.EvictedEvents);
            Assert.Equal(401, records.Count(r => r.Record.Type == FrameType.Hello) + counters.EvictedHellos);
            Assert.True(counters.EvictedEvents == 400, $"{counters.EvictedEvents} Events evicted"); // the Hellos after them needed the room
            Assert.True(counters.EvictedHellos > 100, $"{counters.EvictedHellos} Hellos evicted");
            Assert.Equal(counters.EvictedEvents + counters.EvictedHellos, counters.Evicted);
            Assert.Equal(0, counters.Dropped);
            (events, hellos) = (counters.EvictedEvents, counters.EvictedHellos);
        }

        string text = log.Text;
        Assert.Contains("evicting the oldest Events", text, StringComparison.Ordinal);
        Assert.Contains("no Events left to evict; evicting the oldest Hellos", text, StringComparison.Ordinal);
        using (FrameJournal journal = FrameJournal.Open(storage, options, TextWriter.Null))
        {
            Assert.Equal(events, journal.Counters.EvictedEvents);
            Assert.Equal(hellos, journal.Counters.EvictedHellos);
        }
    }

    [Fact]
    public void Evicted_counts_and_the_sequence_are_kept_in_the_state_file()
    {
        var storage = new PowerLossStorage();
        var options = new JournalOptions("bounds", 16 << 10, syncIntervalMs: 1, segmentBytes: 4200);
        long evicted;
        using (FrameJournal journal = FrameJournal.Open(storage, options, TextWriter.Null))
        {
            for (ulong s = 0; s < 800; s++) Assert.True(AppendWaiting(journal, FrameType.Prediction, s, Payload(s, 60)));
            Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
            evicted = journal.Counters.EvictedPredictions;
            Assert.True(evicted > 500);
        }

        using (FrameJournal journal = FrameJournal.Open(storage, options, TextWriter.Null))
        {
            Assert.Equal(evicted, journal.Counters.EvictedPredictions);
            Assert.Equal(800UL, journal.NextSequence);
        }
    }

    [Fact]
    public void A_full_disk_is_handled_as_a_full_journal_and_never_thrown()
    {
        var log = new Log();
        var storage = new PowerLossStorage { CapacityBytes = 24 << 10 };
        using FrameJournal journal = FrameJournal.Open(storage, new JournalOptions("full-disk", 1 << 20, syncIntervalMs: 1, segmentBytes: 6 << 10), log);
        var kinds = new Dictionary<ulong, FrameType>();
        for (ulong s = 0; s < 3000; s++)
        {
            FrameType kind = s % 10 == 0 ? FrameType.Health : s % 97 == 0 ? FrameType.Alarm : FrameType.Prediction;
            Assert.True(AppendWaiting(journal, kind, s, Payload(s, 40 + (int)(s % 50))));
            kinds[s] = kind;
            if (s % 100 == 0) Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
            Assert.True(storage.TotalBytes <= storage.CapacityBytes);
        }

        Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
        JournalCounters counters = journal.Counters;
        Assert.True(counters.EvictedPredictions > 1000, $"{counters.EvictedPredictions} Predictions evicted");
        Assert.Equal(0, counters.EvictedAlarms);
        Assert.True(counters.DroppedWriteFailures < 20, $"{counters.DroppedWriteFailures} records dropped"); // only writes that hit the full disk before eviction made room
        List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
        Assert.Equal(2999UL, records[^1].Record.Sequence);
        Assert.All(records, r => Assert.True(Matches(r.Record.Sequence, r.Payload) && kinds[r.Record.Sequence] == r.Record.Type));
        Assert.Equal(kinds.Values.Count(k => k == FrameType.Alarm), records.Count(r => r.Record.Type == FrameType.Alarm));
        Assert.Equal(records.Count, counters.Backlog);
        Assert.Single(log.Text.Split('\n'), l => l.Contains("the disk is full (no space left on the device)", StringComparison.Ordinal));
    }

    [Fact]
    public void With_nothing_left_to_evict_new_records_are_dropped_counted_and_logged_once()
    {
        var log = new Log();
        var storage = new PowerLossStorage { CapacityBytes = 200 };
        using FrameJournal journal = FrameJournal.Open(storage, new JournalOptions("tiny-disk", 1 << 20, syncIntervalMs: 1), log);
        for (ulong s = 0; s < 50; s++) Assert.True(journal.Append(FrameType.Hello, s, Payload(s, 100)));
        Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
        JournalCounters counters = journal.Counters;
        Assert.True(counters.DroppedWriteFailures >= 40, $"{counters.DroppedWriteFailures} dropped");
        Assert.Equal(50, counters.DroppedWriteFailures + counters.Written);
        Assert.Single(log.Text.Split('\n'), l => l.Contains("nothing left to evict", StringComparison.Ordinal));
    }
}
