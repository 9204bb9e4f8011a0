using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>Payloads that a record's sequence and length determine, so tests check what they read without keeping copies.</summary>
internal static class JournalTesting
{
    public static readonly FrameType[] Kinds = [FrameType.Hello, FrameType.Prediction, FrameType.Alarm, FrameType.Health];

    public static byte[] Payload(ulong sequence, int length)
    {
        var bytes = new byte[length];
        Fill(sequence, bytes);
        return bytes;
    }

    public static void Fill(ulong sequence, Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)((sequence * 131) + ((ulong)i * 7) + 1);
    }

    public static bool Matches(ulong sequence, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)((sequence * 131) + ((ulong)i * 7) + 1)) return false;
        }

        return true;
    }

    /// <summary>Appends, waiting (bounded) while the queue is full; false when the journal refuses the record outright.</summary>
    public static bool AppendWaiting(FrameJournal journal, FrameType type, ulong sequence, ReadOnlySpan<byte> payload)
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            long queueFull = journal.Counters.DroppedQueueFull;
            if (journal.Append(type, sequence, payload)) return true;
            if (journal.Counters.DroppedQueueFull == queueFull) return false;
            Thread.Sleep(1);
        }

        return false;
    }

    /// <summary>A random kind: mostly Predictions, as on a board.</summary>
    public static FrameType RandomKind(Random random) => random.Next(20) switch
    {
        0 => FrameType.Hello,
        1 or 2 => FrameType.Alarm,
        3 or 4 or 5 => FrameType.Health,
        _ => FrameType.Prediction,
    };

    /// <summary>Every durable record a reader that skips nothing returns, in order.</summary>
    public static List<(JournalRecord Record, byte[] Payload)> ReadAll(FrameJournal journal)
    {
        var records = new List<(JournalRecord, byte[])>();
        using JournalReader reader = journal.OpenReader(-1);
        var buffer = new byte[JournalFormat.MaxPayloadBytes];
        ulong next = 0;
        while (reader.TryReadNext(ref next, buffer, out JournalRecord record))
        {
            records.Add((record, buffer.AsSpan(0, record.Length).ToArray()));
            Assert.True(records.Count < 10_000_000);
        }

        return records;
    }

    /// <summary>Collects what the journal logs.</summary>
    public sealed class Log : StringWriter
    {
        private readonly object _gate = new();

        public override void WriteLine(string? value)
        {
            lock (_gate) base.WriteLine(value);
        }

        public string Text
        {
            get
            {
                lock (_gate) return ToString();
            }
        }
    }
}
