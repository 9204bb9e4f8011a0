using System.Net;
using System.Net.Sockets;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Ingest;

public sealed class TcpIngestTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static TcpIngest Listen(IFrameStore store, StringWriter log)
    {
        var ingest = new TcpIngest(store, new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, 0)), TextWriter.Synchronized(log));
        ingest.Start();
        return ingest;
    }

    private static Socket Connect(TcpIngest ingest)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Patience.TotalMilliseconds };
        socket.Connect(ingest.Endpoint);
        return socket;
    }

    /// <summary>Reads Acks until one names <paramref name="sequence"/>; fails on end of stream or timeout.</summary>
    private static AckFrame ReadAckOf(Socket socket, ulong sequence)
    {
        var decoder = new StreamFrameDecoder();
        byte[] buffer = new byte[1024];
        while (true)
        {
            int received = socket.Receive(buffer);
            Assert.True(received > 0, "the collector closed the connection before acknowledging");
            ReadOnlySpan<byte> input = buffer.AsSpan(0, received);
            while (!input.IsEmpty && decoder.TryDecodeNext(input, out int consumed, out DecodeResult result))
            {
                input = input[consumed..];
                Assert.Equal(FrameType.Ack, result.FrameType);
                if (result.Ack.HighestSequence == sequence) return result.Ack;
            }
        }
    }

    [Fact]
    public void Garbage_between_good_frames_is_counted_and_the_good_frames_are_stored_and_acknowledged()
    {
        var log = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, log);
        using Socket board = Connect(ingest);
        byte[] noise = [0x13, 0x37, 0xFF, 0x42, 0x00, 0x99, 0x01, 0x00];
        byte[] bytes = [.. Frames.Stream(Frames.Hello(10)), .. noise, .. Frames.Stream(Frames.Prediction(11)), .. noise, .. Frames.Stream(Frames.Prediction(12))];
        board.Send(bytes);

        AckFrame ack = ReadAckOf(board, 12);

        Assert.Equal(Frames.Session, ack.SessionId);
        Assert.Equal([11UL, 12UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
        Assert.True(ingest.Counters.DecodeErrors >= 2, $"{ingest.Counters.DecodeErrors} errors");
        // Logged once per connection, counted always.
        Assert.Single(log.ToString().Split('\n'), line => line.Contains("further errors on this connection are counted", StringComparison.Ordinal));
    }

    [Fact]
    public void A_connection_that_sends_only_garbage_for_too_long_is_closed()
    {
        var log = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        var options = new TcpIngestOptions(new IPEndPoint(IPAddress.Loopback, 0)) { MaxGarbageBytes = 4096 };
        using var ingest = new TcpIngest(store, options, TextWriter.Synchronized(log));
        ingest.Start();
        using Socket board = Connect(ingest);
        byte[] noise = new byte[64 * 1024];
        new Random(7).NextBytes(noise);
        try
        {
            board.Send(noise);
        }
        catch (SocketException)
        {
            // already closed by the collector
        }

        int received;
        try
        {
            received = board.Receive(new byte[256]); // bounded by ReceiveTimeout
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            received = 0;
        }
        Assert.Equal(0, received);
        Assert.Contains("bytes without a good frame; closing the connection", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, ingest.Counters.Acks);
    }

    [Fact]
    public void Frames_before_the_Hello_belong_to_the_device_the_Hello_names()
    {
        var log = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, log);
        using Socket board = Connect(ingest);
        board.Send(Frames.Stream(Frames.Prediction(21), Frames.Hello(20), Frames.Prediction(22)));

        ReadAckOf(board, 22);

        Assert.Equal([21UL, 22UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
    }

    [Fact]
    public void Sending_the_same_frames_again_on_a_new_connection_stores_them_once()
    {
        var log = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, log);
        byte[] bytes = Frames.Stream(Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true), Frames.Prediction(3));
        for (int i = 0; i < 2; i++)
        {
            using Socket board = Connect(ingest);
            board.Send(bytes);
            ReadAckOf(board, 3);
        }

        Assert.Equal(4, ingest.Counters.Stored);
        Assert.Equal(4, ingest.Counters.Duplicates);
        Assert.Equal(2, store.Predictions("pump-07", default).Count);
    }

    [Fact]
    public void Event_frames_are_stored_once_and_acknowledged_also_when_resent_on_a_new_connection()
    {
        var log = new StringWriter();
        using var store = new SqliteFrameStore(_database.Path);
        using TcpIngest ingest = Listen(store, log);
        byte[] bytes = Frames.Stream(Frames.Hello(0), Frames.Prediction(1), Frames.Event(2, BoardEventKind.UpdateRolledBack, "self-check failed"));
        for (int i = 0; i < 2; i++)
        {
            using Socket board = Connect(ingest);
            board.Send(bytes);
            Assert.Equal(2UL, ReadAckOf(board, 2).HighestSequence); // the Event releases the board's journal like any frame
        }

        Assert.Equal((3, 3), (ingest.Counters.Stored, ingest.Counters.Duplicates));
        EventRecord stored = Assert.Single(store.Events("pump-07", default));
        Assert.Equal((2UL, Frames.Session, (int)BoardEventKind.UpdateRolledBack, "self-check failed"), (stored.Sequence, stored.SessionId, stored.Kind, stored.Message));
    }

    [Fact]
    public void A_batch_that_does_not_commit_is_never_acknowledged_and_its_connection_is_closed()
    {
        var log = new StringWriter();
        using var store = new FailingStore();
        using TcpIngest ingest = Listen(store, log);
        using Socket board = Connect(ingest);
        board.Send(Frames.Stream(Frames.Hello(0), Frames.Prediction(1)));

        byte[] buffer = new byte[256];
        int received = board.Receive(buffer); // bounded by ReceiveTimeout
        Assert.Equal(0, received); // closed, and not one byte of Ack before
        Assert.True(store.Attempts >= 1);
        Assert.Equal(0, ingest.Counters.Acks);
        Assert.Equal(1, ingest.Counters.CommitFailures);
        Assert.Contains("closing the connection unacknowledged", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A store whose every transaction fails, as a full disk would.</summary>
    private sealed class FailingStore : IFrameStore
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public string Name => "failing";

        public CommitResult Commit(IReadOnlyList<ReceivedFrame> batch)
        {
            Interlocked.Increment(ref _attempts);
            throw new IOException("disk full");
        }

        public void RecordStatus(string deviceId, bool online, long atUnixMs) => throw new IOException("disk full");

        public IReadOnlyList<DeviceRecord> Devices() => [];

        public IReadOnlyList<AlarmRecord> Alarms(string? deviceId, bool openOnly) => [];

        public IReadOnlyList<PredictionRecord> Predictions(string deviceId, TimeRange range) => [];

        public IReadOnlyList<HealthRecord> Health(string deviceId, TimeRange range) => [];

        public IReadOnlyList<GapRecord> Gaps(string deviceId) => [];

        public IReadOnlyList<string> OutputLabels(string deviceId) => [];

        public IReadOnlyList<EventRecord> Events(string? deviceId, TimeRange range) => [];

        public void RecordPush(PushRecord push) => throw new IOException("disk full");

        public IReadOnlyList<PushRecord> Pushes(string? deviceId) => [];

        public void Dispose()
        {
        }
    }
}
