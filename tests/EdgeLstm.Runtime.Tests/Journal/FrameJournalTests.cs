using System.Diagnostics;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using static EdgeLstm.Runtime.Tests.Journal.JournalTesting;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>The journal on real files: round trips across restarts, reading while appending, acknowledgements, the sync policy.</summary>
public sealed class FrameJournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FrameJournal OpenDisk(TextWriter? log = null, long maxBytes = 1 << 20, int syncEveryFrames = 0, int syncIntervalMs = 5, long segmentBytes = 0) =>
        FrameJournal.Open(new DiskJournalStorage(_directory), new JournalOptions(_directory, maxBytes, syncEveryFrames, syncIntervalMs, segmentBytes), log ?? TextWriter.Null);

    [Fact]
    public void Records_survive_a_restart_in_order_and_the_sequence_resumes()
    {
        var random = new Random(1);
        var kinds = new List<(FrameType Kind, int Length)>();
        using (FrameJournal journal = OpenDisk(segmentBytes: 16 << 10))
        {
            Assert.Equal(0UL, journal.NextSequence);
            for (ulong s = 0; s < 3000; s++)
            {
                FrameType kind = RandomKind(random);
                int length = random.Next(0, 300);
                kinds.Add((kind, length));
                Assert.True(AppendWaiting(journal, kind, s, Payload(s, length)));
            }

            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            Assert.Equal(2999UL, journal.DurableThrough);
            Assert.True(journal.Counters.Segments > 10);
        }

        using (FrameJournal journal = OpenDisk())
        {
            Assert.Equal(3000UL, journal.NextSequence);
            Assert.Equal(3000, journal.Recovery.Records);
            Assert.Equal(0, journal.Recovery.TornBytes);
            Assert.Empty(journal.Recovery.Quarantined);
            Assert.False(journal.Recovery.StateRebuilt);
            List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
            Assert.Equal(3000, records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                Assert.Equal((ulong)i, records[i].Record.Sequence);
                Assert.Equal(kinds[i].Kind, records[i].Record.Type);
                Assert.Equal(Payload((ulong)i, kinds[i].Length), records[i].Payload);
            }

            // Appending goes on where it stopped; a sequence that goes back is refused and counted.
            Assert.False(journal.Append(FrameType.Prediction, 2999, [1]));
            Assert.True(journal.Append(FrameType.Prediction, 3000, Payload(3000, 10)));
            Assert.False(journal.Append(FrameType.Prediction, 3001, new byte[JournalFormat.MaxPayloadBytes + 1]));
            Assert.False(journal.Append(FrameType.Ack, 3002, [1]));
            Assert.Equal(3, journal.Counters.DroppedInvalid);
        }

        using (FrameJournal journal = OpenDisk())
        {
            Assert.Equal(3001UL, journal.NextSequence);
        }
    }

    [Fact]
    public void A_reader_thread_reads_every_record_in_order_while_the_writer_appends()
    {
        const int Count = 20_000;
        using FrameJournal journal = OpenDisk(segmentBytes: 32 << 10, maxBytes: 64 << 20, syncIntervalMs: 2);
        int consumer = journal.AddConsumer("reader");
        JournalReader reader = journal.OpenReader(consumer);
        long read = 0;
        string? problem = null;
        var thread = new Thread(() =>
        {
            var buffer = new byte[JournalFormat.MaxPayloadBytes];
            ulong next = 0;
            ulong expected = 0;
            var deadline = Stopwatch.StartNew();
            while (expected < Count && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (!reader.TryReadNext(ref next, buffer, out JournalRecord record))
                {
                    reader.Durable.WaitOne(50);
                    continue;
                }

                if (record.Sequence != expected || record.Length != (int)(record.Sequence % 97) || !Matches(record.Sequence, buffer.AsSpan(0, record.Length)))
                {
                    problem = $"record {record.Sequence} (expected {expected}, length {record.Length})";
                    return;
                }

                expected++;
                if (expected % 1000 == 0) journal.Acknowledge(consumer, record.Sequence);
            }

            read = (long)expected;
        });
        thread.Start();
        for (ulong s = 0; s < Count; s++)
        {
            while (!journal.Append(FrameType.Prediction, s, Payload(s, (int)(s % 97))))
            {
                Thread.Sleep(1); // the queue is full: the writer catches up (a board would count the drop instead)
            }
        }

        Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        Assert.Null(problem);
        Assert.Equal(Count, read);
        reader.Dispose();
    }

    [Fact]
    public void Acknowledged_space_is_released_only_when_both_consumers_acknowledged_and_acks_survive_a_restart()
    {
        using (FrameJournal journal = OpenDisk(segmentBytes: 8 << 10))
        {
            int a = journal.AddConsumer("tcp a:1");
            int b = journal.AddConsumer("serial /dev/ttyS0");
            for (ulong s = 0; s < 2000; s++) Assert.True(AppendWaiting(journal, FrameType.Prediction, s, Payload(s, 40)));
            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            JournalCounters full = journal.Counters;
            Assert.Equal(2000, full.Backlog);

            journal.Acknowledge(a, 1499);
            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            Assert.Equal(full.BytesOnStorage, journal.Counters.BytesOnStorage);
            Assert.Equal(2000, journal.Counters.Backlog);

            journal.Acknowledge(b, 999);
            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            JournalCounters half = journal.Counters;
            Assert.True(half.BytesOnStorage < full.BytesOnStorage * 3 / 5, $"{half.BytesOnStorage} of {full.BytesOnStorage} bytes after acknowledging half");
            Assert.Equal(1000, half.Backlog);

            // Each consumer reads from its own acknowledgement.
            var buffer = new byte[JournalFormat.MaxPayloadBytes];
            ulong next = 0;
            Assert.True(journal.OpenReader(a).TryReadNext(ref next, buffer, out JournalRecord first));
            Assert.Equal(1500UL, first.Sequence);
            next = 0;
            Assert.True(journal.OpenReader(b).TryReadNext(ref next, buffer, out first));
            Assert.Equal(1000UL, first.Sequence);
        }

        using (FrameJournal journal = OpenDisk())
        {
            Assert.Equal(2000UL, journal.NextSequence);
            int b = journal.AddConsumer("serial /dev/ttyS0");
            int a = journal.AddConsumer("tcp a:1");
            Assert.Equal(1500UL, journal.AcknowledgedNext(a));
            Assert.Equal(1000UL, journal.AcknowledgedNext(b));
            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            Assert.Equal(1000, journal.Counters.Backlog);

            journal.Acknowledge(a, 1999);
            journal.Acknowledge(b, 1999);
            Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, journal.Counters.Backlog);
        }

        // Every record acknowledged and most deleted: the sequence still does not go back.
        using (FrameJournal journal = OpenDisk())
        {
            Assert.Equal(2000UL, journal.NextSequence);
        }
    }

    [Fact]
    public void Alarms_and_Hellos_are_synced_at_once_and_other_records_within_the_interval()
    {
        using FrameJournal journal = OpenDisk(syncIntervalMs: 60_000);
        Assert.True(journal.Append(FrameType.Prediction, 0, Payload(0, 10)));
        Assert.False(journal.WaitForDurable(0, TimeSpan.FromMilliseconds(300)));
        Assert.True(journal.Append(FrameType.Alarm, 1, Payload(1, 10)));
        Assert.True(journal.WaitForDurable(1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1UL, journal.DurableThrough);

        using FrameJournal every = FrameJournal.Open(new MemoryJournalStorage(), new JournalOptions(null, syncIntervalMs: 0, syncEveryFrames: 3), TextWriter.Null);
        Assert.True(every.Append(FrameType.Prediction, 0, [1]));
        Assert.True(every.WaitForDurable(0, TimeSpan.FromSeconds(5))); // RAM: durable once written
    }

    [Fact]
    public void Every_frames_policy_syncs_after_that_many_records()
    {
        var storage = new PowerLossStorage();
        using FrameJournal journal = FrameJournal.Open(storage, new JournalOptions("x", 1 << 20, syncEveryFrames: 5, syncIntervalMs: 0), TextWriter.Null);
        for (ulong s = 0; s < 4; s++) Assert.True(journal.Append(FrameType.Prediction, s, Payload(s, 10)));
        Assert.False(journal.WaitForDurable(0, TimeSpan.FromMilliseconds(200)));
        Assert.True(journal.Append(FrameType.Prediction, 4, Payload(4, 10)));
        Assert.True(journal.WaitForDurable(4, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_missing_folder_is_created_and_a_file_instead_of_a_folder_is_a_configuration_error()
    {
        string nested = Path.Combine(_directory, "a", "b");
        using (FrameJournal journal = FrameJournal.Open(new DiskJournalStorage(nested), JournalOptions.ForPath(nested), TextWriter.Null))
        {
            Assert.True(Directory.Exists(nested));
        }

        string file = Path.Combine(_directory, "file");
        File.WriteAllText(file, "x");
        JournalException e = Assert.Throws<JournalException>(() => new DiskJournalStorage(file));
        Assert.Equal($"the journal folder '{file}' cannot be used: '{file}' is a file, not a folder.", e.Message);
    }
}
