using System.Diagnostics;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using Xunit.Abstractions;
using static EdgeLstm.Runtime.Tests.Journal.JournalTesting;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>
/// Simulated power losses (<see cref="PowerLossStorage"/>): random appends of random kinds and sizes under a random
/// sync policy and bound, acknowledgements, a crash at a random point of the writer's work, then start-up again.
/// </summary>
public sealed class PowerLossTests(ITestOutputHelper output)
{
    private const int Trials = 1000;
    private const int BootsPerTrial = 3;
    private static Log? s_log;

    [Fact]
    public void After_every_crash_start_up_succeeds_and_keeps_every_synced_record()
    {
        var clock = Stopwatch.StartNew();
        long records = 0, crashesWithEviction = 0, tornStarts = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            int seed = 7919 * trial;
            try
            {
                (long appended, bool evicted, bool torn) = Trial(new Random(seed));
                records += appended;
                crashesWithEviction += evicted ? 1 : 0;
                tornStarts += torn ? 1 : 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"trial {trial} (seed {seed}) failed: {e.Message} LOG: {s_log?.Text}", e);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"{trial} trials took {clock.Elapsed}");
        }

        output.WriteLine($"{Trials} trials × {BootsPerTrial} crashes, {records} records appended, {crashesWithEviction} trials evicted, {tornStarts} starts cut a torn tail, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(crashesWithEviction > Trials / 10, "the bound must be hit in some trials");
        Assert.True(tornStarts > Trials / 10, "some crashes must tear a write");
    }

    private static (long Appended, bool Evicted, bool Torn) Trial(Random random)
    {
        var storage = new PowerLossStorage();
        var log = new Log();
        s_log = log;
        bool small = random.Next(3) == 0;
        int everyFrames = random.Next(4) switch { 0 => 0, 1 => 1, 2 => 4, _ => 25 };
        int intervalMs = everyFrames == 0 || random.Next(2) == 0 ? random.Next(1, 8) : 0;
        var options = new JournalOptions("trial", small ? 12 << 10 : 1 << 20, everyFrames, intervalMs, segmentBytes: small ? 4200 : 6 << 10);
        var model = new Dictionary<ulong, (FrameType Kind, int Length)>();
        var required = new HashSet<ulong>();
        ulong acknowledgedNext = 0;
        ulong resumed = 0;
        long appendedTotal = 0;
        bool evictedAny = false, tornAny = false;
        long[] evictedAtOpen = new long[5];
        for (int boot = 0; boot <= BootsPerTrial; boot++)
        {
            FrameJournal journal = FrameJournal.Open(storage, options, log);
            tornAny |= journal.Recovery.TornBytes > 0;
            JournalCounters opened = journal.Counters;
            if (boot > 0)
            {
                Check(journal, model, required, acknowledgedNext, resumed, evictedAtOpen, opened);
            }

            if (boot == BootsPerTrial)
            {
                journal.Dispose();
                break;
            }

            // Sequences at or past where the journal resumes were lost and are given out again.
            foreach (ulong lost in model.Keys.Where(k => k >= journal.NextSequence).ToList()) model.Remove(lost);
            evictedAtOpen = [0, opened.EvictedHellos, opened.EvictedPredictions, opened.EvictedAlarms, opened.EvictedHealth];
            int consumer = journal.AddConsumer("collector");
            ulong sequence = journal.NextSequence;
            Assert.Equal(journal.Recovery.ResumedSequence, sequence);
            int count = random.Next(10, small ? 400 : 120);
            var appendedThisBoot = new List<ulong>();
            for (int i = 0; i < count; i++)
            {
                FrameType kind = RandomKind(random);
                int length = random.Next(10) == 0 ? random.Next(500, 1500) : random.Next(0, 60);
                sequence += (ulong)(random.Next(8) == 0 ? 2 : 1); // gaps: records the emitter dropped
                if (journal.Append(kind, sequence, Payload(sequence, length)))
                {
                    model[sequence] = (kind, length);
                    appendedThisBoot.Add(sequence);
                    appendedTotal++;
                }

                switch (random.Next(40))
                {
                    case 0:
                        journal.Flush(TimeSpan.FromSeconds(5));
                        break;
                    case 1 when journal.DurableNext > 0:
                        journal.Acknowledge(consumer, journal.DurableThrough - (ulong)random.Next(0, 20) % (journal.DurableThrough + 1));
                        break;
                    case 2:
                        Thread.SpinWait(random.Next(2000));
                        break;
                }
            }

            if (random.Next(2) == 0) Thread.Sleep(random.Next(0, 3)); // let the writer get somewhere, or not
            ulong durableNext = journal.DurableNext;
            ulong acked = journal.AcknowledgedNext(consumer);
            log.WriteLine($"  crash: durable {durableNext} acked {acked} appended up to {sequence}");
            storage.Crash(random);
            // What the process had counted when it died: read once its writer has stopped (an eviction whose rename
            // reached the disk at the crash is counted by the writer a moment later).
            journal.Dispose();
            JournalCounters atCrash = journal.Counters;
            storage.Reboot();

            if (everyFrames > 0)
            {
                Assert.True(atCrash.Written - atCrash.Synced <= everyFrames, $"{atCrash.Written - atCrash.Synced} written records unsynced with syncEveryFrames {everyFrames}");
            }

            foreach (ulong s in appendedThisBoot)
            {
                if (s < durableNext) required.Add(s);
            }

            acknowledgedNext = Math.Max(acknowledgedNext, acked);
            resumed = Math.Max(durableNext, acked);
            evictedAny |= atCrash.Evicted > 0;
            evictedAtOpen = [0, atCrash.EvictedHellos - evictedAtOpen[1], atCrash.EvictedPredictions - evictedAtOpen[2], atCrash.EvictedAlarms - evictedAtOpen[3], atCrash.EvictedHealth - evictedAtOpen[4]];
        }

        return (appendedTotal, evictedAny, tornAny);
    }

    /// <summary>What the journal holds after a crash, against what was appended and synced before it.</summary>
    private static void Check(FrameJournal journal, Dictionary<ulong, (FrameType Kind, int Length)> model, HashSet<ulong> required, ulong acknowledgedNext,
        ulong durableNext, long[] evictedBeforeCrash, JournalCounters opened)
    {
        Assert.True(opened.DamagedSegments == 0, $"a power loss tears, it does not damage: {string.Join("; ", journal.Recovery.Quarantined)}");
        List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
        var present = new HashSet<ulong>();
        ulong previous = 0;
        foreach ((JournalRecord record, byte[] payload) in records)
        {
            Assert.True(present.Count == 0 || record.Sequence > previous, $"sequence {record.Sequence} after {previous}");
            previous = record.Sequence;
            Assert.True(model.TryGetValue(record.Sequence, out (FrameType Kind, int Length) appended), $"record {record.Sequence} was never appended");
            Assert.Equal(appended.Kind, record.Type);
            Assert.Equal(appended.Length, payload.Length);
            Assert.True(Matches(record.Sequence, payload), $"record {record.Sequence} changed");
            present.Add(record.Sequence);
        }

        Assert.Equal(records.Count, journal.Recovery.Records);
        Assert.True(journal.NextSequence > previous || records.Count == 0);
        Assert.True(journal.NextSequence >= acknowledgedNext, $"next {journal.NextSequence} below the acknowledged {acknowledgedNext}");
        Assert.True(journal.NextSequence >= durableNext, $"next {journal.NextSequence} below the durable {durableNext}");

        // A synced record is lost only if it was acknowledged (space released) or evicted (counted by kind).
        var missing = new long[5];
        foreach (ulong s in required)
        {
            if (!present.Contains(s) && s >= acknowledgedNext) missing[(int)model[s].Kind]++;
        }

        long[] evicted = evictedBeforeCrash;
        for (int kind = 1; kind <= 4; kind++)
        {
            Assert.True(missing[kind] <= evicted[kind], $"{missing[kind]} synced {(FrameType)kind} records lost, {evicted[kind]} evicted: "
                + $"{string.Join(",", required.Where(s => !present.Contains(s) && s >= acknowledgedNext).Order().Take(5))} missing; present {present.Count} records, "
                + $"{(present.Count > 0 ? present.Min() : 0)}…{(present.Count > 0 ? present.Max() : 0)}; acked {acknowledgedNext}; durable {durableNext}; torn {journal.Recovery.TornBytes}");
        }

        required.Clear();
        required.UnionWith(present);
    }
}
