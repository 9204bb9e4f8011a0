using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>The bytes docs/runtime.md § "The journal" shows are the bytes the journal writes.</summary>
public class JournalFormatTests
{
    [Fact]
    public void The_documented_header_and_record_are_what_the_journal_writes()
    {
        var header = new byte[JournalFormat.HeaderBytes];
        JournalFormat.WriteHeader(header, 123456);
        Assert.Equal("454C4A530100000040E201000000000067 7FD8A6".Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(header));

        byte[] payload = Convert.FromHexString("9602CE0001E240CE0036EE8000C404E80D08030F"); // docs/protocol.md § 2
        var record = new byte[payload.Length + JournalFormat.RecordOverhead];
        Assert.Equal(37, JournalFormat.WriteRecord(record, FrameType.Prediction, 123456, payload));
        Assert.Equal("140000000240E2010000000000" + "9602CE0001E240CE0036EE8000C404E80D08030F" + "3C8EED6E", Convert.ToHexString(record));
        Assert.Equal("00000000000000123456.seg", JournalFormat.SegmentName(123456));

        Assert.Equal(RecordStatus.Valid, JournalFormat.ReadRecord(record, out FrameType type, out ulong sequence, out int length));
        Assert.Equal((FrameType.Prediction, 123456UL, 20), (type, sequence, length));
        record[20] ^= 1;
        Assert.Equal(RecordStatus.BadCrc, JournalFormat.ReadRecord(record, out _, out _, out _));
        Assert.Equal(RecordStatus.Incomplete, JournalFormat.ReadRecord(record.AsSpan(0, 30), out _, out _, out _));
        Assert.True(JournalFormat.TryParseSegmentName("18446744073709551615.seg", out ulong max) && max == ulong.MaxValue);
        Assert.False(JournalFormat.TryParseSegmentName("99999999999999999999.seg", out _));
        Assert.False(JournalFormat.TryParseSegmentName("+0000000000000000001.seg", out _));
    }
}
