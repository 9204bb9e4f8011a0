using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>What reading a segment from its start found.</summary>
internal enum SegmentProblem
{
    /// <summary>Every byte is a valid header or record.</summary>
    None,

    /// <summary>The newest segment ends in a partial or bad record with nothing valid after it: a write a power loss cut.</summary>
    TornTail,

    /// <summary>The newest segment is shorter than its header: created just before a power loss.</summary>
    TornHeader,

    /// <summary>A bad header, a bad record with valid ones after it, a sequence going backwards, or a segment before the newest cut short.</summary>
    Damaged,
}

/// <summary>Receives each valid record a scan passes, in order.</summary>
internal delegate void RecordVisitor(FrameType type, ulong sequence, ReadOnlySpan<byte> payload);

/// <summary>One segment as a scan found it.</summary>
internal sealed class SegmentScan
{
    /// <summary>The file's name.</summary>
    public required string Name { get; init; }

    /// <summary>The sequence in the file's name.</summary>
    public ulong NameSequence { get; init; }

    /// <summary>The file's length when scanned.</summary>
    public long FileLength { get; set; }

    /// <summary>The bytes from the start up to the end of the last valid record.</summary>
    public long GoodLength { get; set; }

    /// <summary>Valid records before any problem.</summary>
    public int Records { get; set; }

    /// <summary>Valid records by <see cref="FrameType"/> (index 1…4).</summary>
    public int[] Kinds { get; } = new int[JournalFormat.KindSlots];

    /// <summary>The lowest valid record's sequence (when <see cref="Records"/> is not 0).</summary>
    public ulong MinSequence { get; set; } = ulong.MaxValue;

    /// <summary>The highest valid record's sequence (when <see cref="Records"/> is not 0).</summary>
    public ulong MaxSequence { get; set; }

    /// <summary>What was wrong, if anything.</summary>
    public SegmentProblem Problem { get; set; }

    /// <summary>Where the problem starts (bytes from the file's start).</summary>
    public long ProblemOffset { get; set; }

    /// <summary>The problem in words.</summary>
    public string ProblemReason { get; set; } = "";

    /// <summary>The bytes a torn tail or header loses.</summary>
    public long TornBytes => Problem is SegmentProblem.TornTail or SegmentProblem.TornHeader ? FileLength - GoodLength : 0;
}

/// <summary>Reads segments record by record: the one parser behind recovery, inspection and the writer's rewrites.</summary>
internal static class SegmentScanner
{
    /// <summary>
    /// Scans <paramref name="file"/>: its header must name <paramref name="nameSequence"/>, its records' sequences
    /// must rise and be at least <paramref name="floorNext"/>. In the newest segment (<paramref name="isLast"/>), a bad
    /// record with no valid record after it is a torn tail; anywhere else any problem is damage.
    /// </summary>
    public static SegmentScan Scan(JournalFile file, string name, ulong nameSequence, ulong floorNext, bool isLast, RecordWindow window, RecordVisitor? visitor)
    {
        window.Invalidate();
        long length = file.Length;
        var scan = new SegmentScan { Name = name, NameSequence = nameSequence, FileLength = length };
        RecordStatus header = JournalFormat.ReadHeader(window.Get(file, 0, JournalFormat.HeaderBytes, length), out ulong first, out string headerProblem);
        if (header != RecordStatus.Valid || first != nameSequence)
        {
            scan.Problem = header == RecordStatus.Incomplete && isLast ? SegmentProblem.TornHeader : SegmentProblem.Damaged;
            scan.ProblemReason = header == RecordStatus.Valid ? $"the header names sequence {first}, the file name {nameSequence}" : headerProblem;
            return scan;
        }

        long offset = JournalFormat.HeaderBytes;
        ulong next = Math.Max(floorNext, first);
        while (offset < length)
        {
            ReadOnlySpan<byte> bytes = window.Get(file, offset, JournalFormat.MaxRecordBytes, length);
            RecordStatus status = JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength);
            if (status == RecordStatus.Valid && sequence >= next)
            {
                visitor?.Invoke(type, sequence, bytes.Slice(JournalFormat.RecordHeaderBytes, payloadLength));
                scan.Records++;
                scan.Kinds[(int)type]++;
                scan.MinSequence = Math.Min(scan.MinSequence, sequence);
                scan.MaxSequence = sequence;
                next = sequence + 1;
                offset += payloadLength + JournalFormat.RecordOverhead;
                continue;
            }

            scan.ProblemOffset = offset;
            scan.ProblemReason = status switch
            {
                RecordStatus.Incomplete => "a record is cut short",
                RecordStatus.Invalid => "a record has a length or frame type no writer produces",
                RecordStatus.BadCrc => "a record's CRC-32C does not match",
                _ => $"sequence {sequence} does not follow {next - 1}",
            };
            scan.Problem = isLast && status != RecordStatus.Valid && !ValidRecordAfter(file, offset + 1, length, next, window)
                ? SegmentProblem.TornTail
                : SegmentProblem.Damaged;
            break;
        }

        scan.GoodLength = offset;
        if (scan.Problem == SegmentProblem.None) scan.ProblemOffset = -1;
        return scan;
    }

    /// <summary>Is there a valid record with a sequence of at least <paramref name="next"/> anywhere from <paramref name="from"/>? Tells damage from a torn tail.</summary>
    private static bool ValidRecordAfter(JournalFile file, long from, long length, ulong next, RecordWindow window)
    {
        for (long at = from; at + JournalFormat.RecordOverhead <= length; at++)
        {
            ReadOnlySpan<byte> bytes = window.Get(file, at, JournalFormat.MaxRecordBytes, length);
            if (!JournalFormat.IsJournaledType((FrameType)bytes[4]) || bytes[3] != 0 || bytes[2] > (JournalFormat.MaxPayloadBytes >> 16)) continue;
            if (JournalFormat.ReadRecord(bytes, out _, out ulong sequence, out _) == RecordStatus.Valid && sequence >= next) return true;
        }

        return false;
    }
}
