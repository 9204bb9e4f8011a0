using System.Buffers.Binary;
using System.Text;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>The journal's <c>state</c> file: what it keeps, and files written before Events were counted in it.</summary>
public sealed class JournalStateFileTests
{
    private static readonly byte[][] Names = [Encoding.UTF8.GetBytes("mqtt"), Encoding.UTF8.GetBytes("tcp:collector")];

    [Fact]
    public void Every_count_the_consumers_and_the_sequence_floor_round_trip()
    {
        long[] evicted = new long[JournalFormat.KindSlots];
        (evicted[(int)FrameType.Hello], evicted[(int)FrameType.Prediction], evicted[(int)FrameType.Alarm]) = (1, 2000, 30);
        (evicted[(int)FrameType.Health], evicted[(int)FrameType.Event]) = (400, 5);
        byte[] bytes = new byte[JournalStateFile.EncodedLength(Names)];

        int length = JournalStateFile.Encode(bytes, 123_456, 2, evicted, Names, [100, 90]);

        Assert.Equal(bytes.Length, length);
        JournalState state = Assert.IsType<JournalState>(JournalStateFile.Decode(bytes, out string problem), exactMatch: false);
        Assert.Equal("", problem);
        Assert.Equal(123_456UL, state.NextSequence);
        Assert.Equal(2, state.DamagedSegments);
        Assert.Equal(evicted, state.Evicted);
        Assert.Equal([new ConsumerAck("mqtt", 100), new ConsumerAck("tcp:collector", 90)], state.Consumers);
    }

    [Fact]
    public void A_file_from_before_Event_frames_reads_with_no_Events_evicted()
    {
        // Version 1 as first written: the same fields without the Events count after the consumers.
        long[] evicted = new long[JournalFormat.KindSlots];
        (evicted[(int)FrameType.Prediction], evicted[(int)FrameType.Health]) = (70, 8);
        byte[] current = new byte[JournalStateFile.EncodedLength(Names)];
        int length = JournalStateFile.Encode(current, 500, 0, evicted, Names, [400, 7]);
        byte[] old = [.. current.AsSpan(0, length - 12)];
        old = [.. old, .. new byte[4]];
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(old.Length - 4), JournalFormat.Crc(old.AsSpan(0, old.Length - 4)));

        JournalState state = Assert.IsType<JournalState>(JournalStateFile.Decode(old, out string problem), exactMatch: false);

        Assert.Equal("", problem);
        Assert.Equal(500UL, state.NextSequence);
        Assert.Equal(evicted, state.Evicted);
        Assert.Equal(0, state.Evicted[(int)FrameType.Event]);
        Assert.Equal([new ConsumerAck("mqtt", 400), new ConsumerAck("tcp:collector", 7)], state.Consumers);
        // The smallest such file (no consumers) is still whole, not "cut short".
        byte[] empty = new byte[JournalStateFile.FixedBytes];
        int emptyLength = JournalStateFile.Encode(empty, 1, 0, evicted, [], []);
        byte[] oldEmpty = [.. empty.AsSpan(0, emptyLength - 12), 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32LittleEndian(oldEmpty.AsSpan(oldEmpty.Length - 4), JournalFormat.Crc(oldEmpty.AsSpan(0, oldEmpty.Length - 4)));
        Assert.NotNull(JournalStateFile.Decode(oldEmpty, out problem));
        Assert.Equal("", problem);
    }
}
