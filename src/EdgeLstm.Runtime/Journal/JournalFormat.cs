using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>What a segment header or a record turned out to be when read back.</summary>
internal enum RecordStatus
{
    /// <summary>A whole record (or header) with a matching CRC.</summary>
    Valid,

    /// <summary>The bytes end before the record does (a torn write, or simply the end of what was read).</summary>
    Incomplete,

    /// <summary>A length or frame type no writer produces.</summary>
    Invalid,

    /// <summary>The CRC-32C does not match.</summary>
    BadCrc,
}

/// <summary>
/// The journal's bytes (docs/runtime.md § "The journal"): segment files <c>&lt;first sequence, 20 digits&gt;.seg</c>
/// that start with a header and hold records <c>length u32 LE | type u8 | sequence u64 LE | payload | CRC-32C u32 LE</c>,
/// the CRC over everything before it. All integers little-endian.
/// </summary>
internal static class JournalFormat
{
    /// <summary>The largest payload a record holds (a frame's MessagePack bytes).</summary>
    public const int MaxPayloadBytes = 4096;

    /// <summary>Header bytes: magic (4), format version u16, reserved u16, first sequence u64, CRC-32C u32 of the 16 bytes before.</summary>
    public const int HeaderBytes = 20;

    /// <summary>length u32, type u8, sequence u64: what precedes the payload.</summary>
    public const int RecordHeaderBytes = 13;

    /// <summary>A record's bytes besides its payload.</summary>
    public const int RecordOverhead = RecordHeaderBytes + 4;

    /// <summary>The largest record.</summary>
    public const int MaxRecordBytes = MaxPayloadBytes + RecordOverhead;

    /// <summary>The segment format this code writes and reads.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>Segment files end so.</summary>
    public const string SegmentExtension = ".seg";

    /// <summary>The file with acknowledgements, eviction counts and the sequence floor.</summary>
    public const string StateFileName = "state";

    /// <summary>Files written before an atomic rename end so.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>The folder in the journal's folder that damaged segments are moved to.</summary>
    public const string QuarantineFolder = "quarantine";

    private const int NameDigits = 20;

    /// <summary>"ELJS": EdgeLstm journal segment.</summary>
    public static ReadOnlySpan<byte> SegmentMagic => "ELJS"u8;

    /// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU has it.</summary>
    public static uint Crc(ReadOnlySpan<byte> bytes) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, bytes);

    /// <summary>The file name of the segment whose first sequence is <paramref name="firstSequence"/>.</summary>
    public static string SegmentName(ulong firstSequence) => firstSequence.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension;

    /// <summary>True for a name <see cref="SegmentName"/> writes; <paramref name="firstSequence"/> is its number.</summary>
    public static bool TryParseSegmentName(string name, out ulong firstSequence)
    {
        firstSequence = 0;
        return name.Length == NameDigits + SegmentExtension.Length
            && name.EndsWith(SegmentExtension, StringComparison.Ordinal)
            && name.AsSpan(0, NameDigits).IndexOfAnyExceptInRange('0', '9') < 0
            && ulong.TryParse(name.AsSpan(0, NameDigits), NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence);
    }

    /// <summary>True for the frame kinds the journal holds (Ack frames travel the other way).</summary>
    public static bool IsJournaledType(FrameType type) => type is FrameType.Hello or FrameType.Prediction or FrameType.Alarm or FrameType.Health or FrameType.Event;

    /// <summary>Length of the per-kind counters, indexed by <see cref="FrameType"/> (the highest journaled tag + 1).</summary>
    public const int KindSlots = (int)FrameType.Event + 1;

    /// <summary>Writes a segment header into <paramref name="destination"/> (<see cref="HeaderBytes"/> long).</summary>
    public static void WriteHeader(Span<byte> destination, ulong firstSequence)
    {
        SegmentMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], Crc(destination[..16]));
    }

    /// <summary>Reads a segment header; <paramref name="problem"/> says in words what is wrong with one that is not valid.</summary>
    public static RecordStatus ReadHeader(ReadOnlySpan<byte> bytes, out ulong firstSequence, out string problem)
    {
        firstSequence = 0;
        problem = "";
        if (bytes.Length < HeaderBytes)
        {
            problem = $"the header is cut short ({bytes.Length} of {HeaderBytes} bytes)";
            return RecordStatus.Incomplete;
        }

        if (!bytes[..4].SequenceEqual(SegmentMagic))
        {
            problem = "the header does not start with the segment magic 'ELJS'";
            return RecordStatus.Invalid;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]) != Crc(bytes[..16]))
        {
            problem = "the header's CRC-32C does not match";
            return RecordStatus.BadCrc;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            problem = $"the segment has format version {version}; this runtime reads version {FormatVersion}";
            return RecordStatus.Invalid;
        }

        firstSequence = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        return RecordStatus.Valid;
    }

    /// <summary>Writes one record into <paramref name="destination"/>; returns its length (payload + <see cref="RecordOverhead"/>).</summary>
    public static int WriteRecord(Span<byte> destination, FrameType type, ulong sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payload.Length);
        destination[4] = (byte)type;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[5..], sequence);
        payload.CopyTo(destination[RecordHeaderBytes..]);
        return SealRecord(destination, payload.Length);
    }

    /// <summary>Appends the CRC to a record whose header and payload are already in <paramref name="record"/>; returns its length.</summary>
    public static int SealRecord(Span<byte> record, int payloadLength)
    {
        int crcAt = RecordHeaderBytes + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(record[crcAt..], Crc(record[..crcAt]));
        return crcAt + 4;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="bytes"/>. <see cref="RecordStatus.Incomplete"/> when
    /// <paramref name="bytes"/> ends first (pass at least <see cref="MaxRecordBytes"/> when that many are there).
    /// </summary>
    public static RecordStatus ReadRecord(ReadOnlySpan<byte> bytes, out FrameType type, out ulong sequence, out int payloadLength)
    {
        type = default;
        sequence = 0;
        payloadLength = 0;
        if (bytes.Length < RecordHeaderBytes)
        {
            return bytes.Length == 0 || PlausibleStart(bytes) ? RecordStatus.Incomplete : RecordStatus.Invalid;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        type = (FrameType)bytes[4];
        if (length > MaxPayloadBytes || !IsJournaledType(type))
        {
            return RecordStatus.Invalid;
        }

        payloadLength = (int)length;
        sequence = BinaryPrimitives.ReadUInt64LittleEndian(bytes[5..]);
        int crcAt = RecordHeaderBytes + payloadLength;
        if (bytes.Length < crcAt + 4)
        {
            return RecordStatus.Incomplete;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(bytes[crcAt..]) == Crc(bytes[..crcAt]) ? RecordStatus.Valid : RecordStatus.BadCrc;
    }

    /// <summary>Could a record header start with these (fewer than 13) bytes?</summary>
    private static bool PlausibleStart(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) > MaxPayloadBytes) return false;
        return bytes.Length < 5 || IsJournaledType((FrameType)bytes[4]);
    }
}
