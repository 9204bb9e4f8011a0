using System.Buffers.Binary;
using System.Text;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>What the <c>state</c> file holds: a consumer's acknowledgement, by name.</summary>
/// <param name="Name">The consumer's name (a sink's).</param>
/// <param name="AckedNext">One past the highest sequence it acknowledged; 0 when it acknowledged nothing.</param>
internal readonly record struct ConsumerAck(string Name, ulong AckedNext);

/// <summary>The decoded <c>state</c> file.</summary>
internal sealed class JournalState
{
    /// <summary>No sequence below this is ever given out again (one past the highest ever written).</summary>
    public ulong NextSequence { get; init; }

    /// <summary>Damaged segments ever quarantined.</summary>
    public long DamagedSegments { get; init; }

    /// <summary>Evicted records ever, indexed by <see cref="FrameType"/>.</summary>
    public long[] Evicted { get; init; } = new long[JournalFormat.KindSlots];

    /// <summary>Acknowledgements by consumer name.</summary>
    public IReadOnlyList<ConsumerAck> Consumers { get; init; } = [];
}

/// <summary>
/// The <c>state</c> file's bytes: magic "ELJT", version u16, reserved u16, next sequence u64, damaged segments u64,
/// evicted Hellos, Predictions, Alarms, Health (4 × u64, by frame type), consumer count u32, per consumer (name length
/// u16, UTF-8 name, acknowledged-next u64), evicted Events u64, CRC-32C u32 over everything before. The Events count
/// came later than version 1 and sits after the consumers, so both ways work: runtimes from before it stop reading at
/// the consumers and ignore it, and files from before it read as 0 Events evicted. Replaced atomically: written to
/// <c>state.tmp</c>, synced, renamed over <c>state</c>, folder synced.
/// </summary>
internal static class JournalStateFile
{
    /// <summary>The bytes of a state file with no consumers.</summary>
    public const int FixedBytes = MinimumBytes + 8;

    /// <summary>The bytes of a state file with no consumers written before Events were counted in it.</summary>
    private const int MinimumBytes = 4 + 2 + 2 + 8 + 8 + (4 * 8) + 4 + 4;

    private const ushort Version = 1;
    private const int MaxFileBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "ELJT"u8;

    /// <summary>The bytes <see cref="Encode"/> writes for consumers with these (UTF-8) names.</summary>
    public static int EncodedLength(ReadOnlySpan<byte[]> names)
    {
        int length = FixedBytes;
        foreach (byte[] name in names) length += 2 + name.Length + 8;
        return length;
    }

    /// <summary>Writes the state; allocates nothing. Returns its length.</summary>
    public static int Encode(Span<byte> destination, ulong nextSequence, long damagedSegments, ReadOnlySpan<long> evictedByType,
        ReadOnlySpan<byte[]> names, ReadOnlySpan<ulong> ackedNext)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], nextSequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], damagedSegments);
        for (int kind = 1; kind <= 4; kind++) BinaryPrimitives.WriteInt64LittleEndian(destination[(16 + (8 * kind))..], evictedByType[kind]);
        int at = 56;
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], names.Length);
        at += 4;
        for (int i = 0; i < names.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[at..], (ushort)names[i].Length);
            names[i].CopyTo(destination[(at + 2)..]);
            at += 2 + names[i].Length;
            BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], ackedNext[i]);
            at += 8;
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[at..], evictedByType[(int)FrameType.Event]);
        at += 8;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[at..], JournalFormat.Crc(destination[..at]));
        return at + 4;
    }

    /// <summary>Reads the state file: null with <paramref name="problem"/> empty when there is none, null with a reason when it is damaged.</summary>
    public static JournalState? Read(JournalStorage storage, out string problem)
    {
        problem = "";
        if (!storage.List().Contains(JournalFormat.StateFileName, StringComparer.Ordinal)) return null;
        byte[] bytes;
        using (JournalFile file = storage.Open(JournalFormat.StateFileName))
        {
            if (file.Length > MaxFileBytes)
            {
                problem = $"it is {file.Length} bytes long, more than any state file";
                return null;
            }

            bytes = new byte[file.Length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = file.Read(read, bytes.AsSpan(read));
                if (n == 0) break;
                read += n;
            }

            bytes = bytes[..read];
        }

        return Decode(bytes, out problem);
    }

    /// <summary>Decodes state bytes; null with a reason when they are not a whole, intact state file.</summary>
    public static JournalState? Decode(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "";
        if (bytes.Length < MinimumBytes || !bytes[..4].SequenceEqual(Magic))
        {
            problem = bytes.Length < MinimumBytes ? $"it is cut short ({bytes.Length} bytes)" : "it does not start with the state magic 'ELJT'";
            return null;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]) != JournalFormat.Crc(bytes[..^4]))
        {
            problem = "its CRC-32C does not match";
            return null;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != Version)
        {
            problem = $"it has version {BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..])}; this runtime reads version {Version}";
            return null;
        }

        var evicted = new long[JournalFormat.KindSlots];
        for (int kind = 1; kind <= 4; kind++) evicted[kind] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(16 + (8 * kind))..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[56..]);
        var consumers = new List<ConsumerAck>();
        int at = 60;
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > bytes.Length - 4) break;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            if (at + 2 + nameLength + 8 > bytes.Length - 4)
            {
                problem = "its consumer list is cut short";
                return null;
            }

            string name = Encoding.UTF8.GetString(bytes.Slice(at + 2, nameLength));
            at += 2 + nameLength;
            consumers.Add(new ConsumerAck(name, BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..])));
            at += 8;
        }

        if (at + 8 <= bytes.Length - 4) evicted[(int)FrameType.Event] = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);

        return new JournalState
        {
            NextSequence = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            DamagedSegments = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
            Evicted = evicted,
            Consumers = consumers,
        };
    }
}
