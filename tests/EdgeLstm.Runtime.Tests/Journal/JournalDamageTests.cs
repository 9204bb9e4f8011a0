using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using static EdgeLstm.Runtime.Tests.Journal.JournalTesting;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>Damaged files never stop a start: they are salvaged, quarantined, counted and named in the log.</summary>
public sealed class JournalDamageTests : IDisposable
{
    private const int Records = 600;
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-journal-damage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private FrameJournal Open(TextWriter? log = null) =>
        FrameJournal.Open(new DiskJournalStorage(_directory), new JournalOptions(_directory, 1 << 20, syncIntervalMs: 1, segmentBytes: 8 << 10), log ?? TextWriter.Null);

    /// <summary>Writes <see cref="Records"/> records (60-byte payloads, about 100 per segment) and returns the segment files in order.</summary>
    private string[] WriteJournal()
    {
        using (FrameJournal journal = Open())
        {
            int consumer = journal.AddConsumer("tcp c:1");
            for (ulong s = 0; s < Records; s++) Assert.True(AppendWaiting(journal, s % 50 == 0 ? FrameType.Hello : FrameType.Prediction, s, Payload(s, 60)));
            Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
            journal.Acknowledge(consumer, 9);
        }

        string[] segments = [.. Directory.GetFiles(_directory, "*.seg").Order(StringComparer.Ordinal)];
        Assert.True(segments.Length >= 4);
        return segments;
    }

    [Fact]
    public void A_flipped_byte_in_a_segment_is_quarantined_counted_and_its_good_prefix_kept()
    {
        string[] segments = WriteJournal();
        string damaged = segments[1];
        byte[] bytes = File.ReadAllBytes(damaged);
        long offset = bytes.Length / 2;
        bytes[offset] ^= 0x40;
        File.WriteAllBytes(damaged, bytes);

        var log = new Log();
        using (FrameJournal journal = Open(log))
        {
            DamagedSegment report = Assert.Single(journal.Recovery.Quarantined);
            string name = Path.GetFileName(damaged);
            Assert.Equal(name, report.File);
            Assert.True(report.Offset <= offset && report.Offset > offset - 100, $"damage reported at {report.Offset}, the byte flipped at {offset}");
            Assert.Equal($"quarantine/{name}", report.QuarantinedAs);
            Assert.True(File.Exists(Path.Combine(_directory, "quarantine", name)));
            Assert.Equal(1, journal.Counters.DamagedSegments);
            Assert.Contains($"{name} is damaged at byte {report.Offset}", log.Text, StringComparison.Ordinal);

            // Every record but those at and after the damage in that one segment, unchanged and in order.
            List<(JournalRecord Record, byte[] Payload)> records = ReadAll(journal);
            ulong firstOfNext = ulong.Parse(Path.GetFileName(segments[2])[..20]);
            ulong firstLost = (ulong)report.SalvagedRecords + ulong.Parse(name[..20]);
            Assert.Equal(records.Select(r => r.Record.Sequence), Enumerable.Range(0, Records).Select(i => (ulong)i).Where(s => s < firstLost || s >= firstOfNext));
            Assert.All(records, r => Assert.True(Matches(r.Record.Sequence, r.Payload)));
            Assert.Equal((ulong)Records, journal.NextSequence);
            Assert.True(journal.AddConsumer("tcp c:1") >= 0);
        }

        // Counted once, for good (the state file keeps it); the next start finds nothing new.
        using (FrameJournal journal = Open())
        {
            Assert.Empty(journal.Recovery.Quarantined);
            Assert.Equal(1, journal.Counters.DamagedSegments);
        }
    }

    [Fact]
    public void A_truncated_header_is_damage_before_the_newest_segment_and_a_torn_creation_at_the_end()
    {
        string[] segments = WriteJournal();
        File.WriteAllBytes(segments[1], File.ReadAllBytes(segments[1])[..10]);
        File.WriteAllBytes(segments[^1], File.ReadAllBytes(segments[^1])[..7]);
        var log = new Log();
        using FrameJournal journal = Open(log);
        DamagedSegment report = Assert.Single(journal.Recovery.Quarantined);
        Assert.Equal(Path.GetFileName(segments[1]), report.File);
        Assert.Equal(0, report.SalvagedRecords);
        Assert.Contains("the header is cut short (10 of 20 bytes)", report.Reason, StringComparison.Ordinal);
        Assert.Equal(7, journal.Recovery.TornBytes);
        Assert.False(File.Exists(segments[^1]));
        Assert.False(File.Exists(segments[1]));
        Assert.Equal((ulong)Records, journal.NextSequence); // the state file remembers the sequence
    }

    [Fact]
    public void Files_that_are_not_the_journals_are_left_alone_and_reported()
    {
        WriteJournal();
        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "x");
        File.WriteAllText(Path.Combine(_directory, "123.seg"), "x");
        File.WriteAllText(Path.Combine(_directory, "00000000000000000001.seg.bak"), "x");
        var log = new Log();
        using FrameJournal journal = Open(log);
        Assert.Equal(["00000000000000000001.seg.bak", "123.seg", "notes.txt"], journal.Recovery.IgnoredFiles.Order(StringComparer.Ordinal));
        Assert.Equal(Records, journal.Recovery.Records);
        Assert.True(File.Exists(Path.Combine(_directory, "notes.txt")));
        Assert.Contains("ignoring 3 files", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_file_with_a_bad_CRC_is_rebuilt_from_the_segments()
    {
        WriteJournal();
        string state = Path.Combine(_directory, "state");
        byte[] bytes = File.ReadAllBytes(state);
        bytes[10] ^= 1;
        File.WriteAllBytes(state, bytes);
        var log = new Log();
        using FrameJournal journal = Open(log);
        Assert.True(journal.Recovery.StateRebuilt);
        Assert.Contains("CRC-32C", journal.Recovery.StateProblem, StringComparison.Ordinal);
        Assert.Contains("the state file is damaged (its CRC-32C does not match); rebuilt from the segments: nothing counts as acknowledged", log.Text, StringComparison.Ordinal);
        Assert.Equal((ulong)Records, journal.NextSequence);
        Assert.Equal(0UL, journal.AcknowledgedNext(journal.AddConsumer("tcp c:1")));
    }

    [Fact]
    public void A_damaged_newest_segment_with_good_records_after_the_damage_is_not_taken_for_a_torn_write()
    {
        string[] segments = WriteJournal();
        byte[] bytes = File.ReadAllBytes(segments[^1]);
        bytes[JournalFormat.HeaderBytes + 20] ^= 0xFF;
        File.WriteAllBytes(segments[^1], bytes);
        using FrameJournal journal = Open();
        Assert.Single(journal.Recovery.Quarantined);
        Assert.Equal(0, journal.Recovery.TornBytes);
    }
}
