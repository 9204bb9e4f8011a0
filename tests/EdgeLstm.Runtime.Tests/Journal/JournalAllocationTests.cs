using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using static EdgeLstm.Runtime.Tests.Journal.JournalTesting;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>After start-up, Append, the writer thread and TryReadNext allocate nothing per record.</summary>
public sealed class JournalAllocationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-journal-alloc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Append_the_writer_and_TryReadNext_allocate_nothing_per_record()
    {
        const int WarmUp = 2000;
        const int Measured = 5000;
        // One segment holds the whole run: a new segment allocates its name and handle, once per segment, not per record.
        var options = new JournalOptions(_directory, 64 << 20, syncEveryFrames: 50, syncIntervalMs: 2, segmentBytes: 8 << 20, queueBytes: 4 << 20);
        using FrameJournal journal = FrameJournal.Open(new DiskJournalStorage(_directory), options, TextWriter.Null);
        int consumer = journal.AddConsumer("tcp c:1");
        using JournalReader reader = journal.OpenReader(consumer);
        byte[][] payloads = [.. Enumerable.Range(0, 64).Select(i => Payload((ulong)i, 20 + i))];
        var buffer = new byte[JournalFormat.MaxPayloadBytes];
        ulong next = 0;
        FrameType[] kinds = [FrameType.Prediction, FrameType.Prediction, FrameType.Health, FrameType.Prediction, FrameType.Alarm, FrameType.Prediction];

        for (ulong s = 0; s < WarmUp; s++) Assert.True(journal.Append(kinds[s % 6], s, payloads[s % 64]));
        Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
        while (reader.TryReadNext(ref next, buffer, out _))
        {
        }

        Assert.Equal((ulong)WarmUp, next);
        long writerBefore = journal.WriterAllocatedBytes;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong s = WarmUp; s < WarmUp + Measured; s++)
        {
            if (!journal.Append(kinds[s % 6], s, payloads[s % 64])) Assert.Fail($"record {s} refused");
        }

        long appendBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(journal.Flush(TimeSpan.FromSeconds(10)));
        long writerBytes = journal.WriterAllocatedBytes - writerBefore;

        before = GC.GetAllocatedBytesForCurrentThread();
        int read = 0;
        while (reader.TryReadNext(ref next, buffer, out JournalRecord record))
        {
            if (record.Length != 20 + (int)(record.Sequence % 64)) Assert.Fail($"record {record.Sequence}");
            read++;
        }

        long readBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Measured, read);
        Assert.True(appendBytes == 0, $"Append allocated {appendBytes} bytes over {Measured} records");
        Assert.True(writerBytes == 0, $"the writer allocated {writerBytes} bytes over {Measured} records");
        Assert.True(readBytes == 0, $"TryReadNext allocated {readBytes} bytes over {Measured} records");
        Assert.Equal(1, journal.Counters.Segments);
    }
}
