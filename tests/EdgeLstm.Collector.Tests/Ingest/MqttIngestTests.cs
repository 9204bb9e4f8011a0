using System.Collections.Concurrent;
using EdgeLstm.Collector.Ingest.Mqtt;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Ingest;

/// <summary>Which broker a test publishes through: the same test bodies run against both.</summary>
public enum BrokerKind
{
    /// <summary>The collector's embedded MQTTnet.Server broker.</summary>
    Embedded,

    /// <summary>Debian's Mosquitto, a separate process.</summary>
    Mosquitto,
}

/// <summary>
/// The MQTT ingest against a real broker: a board (an MQTTnet client) publishes real encoded frames, the collector
/// stores them in SQLite and publishes range Acks. The Theories run once per broker (Mosquitto only where installed).
/// </summary>
[Collection(MqttTestGroup.Name)]
public sealed class MqttIngestTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();
    private readonly StringWriter _log = new();
    private readonly List<IDisposable> _resources = [];

    /// <summary>Every broker this machine can run.</summary>
    public static TheoryData<BrokerKind> Brokers =>
        File.Exists(MosquittoBroker.Executable) ? new() { BrokerKind.Embedded, BrokerKind.Mosquitto } : new() { BrokerKind.Embedded };

    public void Dispose()
    {
        // Latest first: boards, then collectors, their stores, the broker.
        for (int i = _resources.Count - 1; i >= 0; i--) _resources[i].Dispose();
        _database.Dispose();
    }

    private T Own<T>(T resource)
        where T : IDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    private ITestBroker StartBroker(BrokerKind kind) => Own<ITestBroker>(kind == BrokerKind.Mosquitto ? new MosquittoBroker() : new EmbeddedTestBroker());

    private string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>A collector on its own store (same database file), connected and subscribed.</summary>
    private MqttIngest StartCollector(int port, string clientId = "collector-test", TimeSpan? batchDelay = null, Func<IFrameStore, IFrameStore>? wrap = null)
    {
        IFrameStore store = Own(new SqliteFrameStore(_database.Path));
        if (wrap is not null) store = wrap(store);
        var options = new MqttIngestOptions(new MqttBrokerAddress("127.0.0.1", port, UseTls: false))
        {
            ClientId = clientId,
            MaxBatchDelay = batchDelay ?? TimeSpan.FromMilliseconds(50),
        };
        MqttIngest ingest = Own(new MqttIngest(store, options, TextWriter.Synchronized(_log)));
        ingest.Start();
        Assert.True(ingest.WaitUntilSubscribed(Patience), Log);
        return ingest;
    }

    /// <summary>A broker of <paramref name="kind"/>, a collector subscribed to it and a board connected to it.</summary>
    private (MqttIngest Ingest, MqttBoard Board) StartBrokerCollectorAndBoard(BrokerKind kind)
    {
        ITestBroker broker = StartBroker(kind);
        MqttIngest ingest = StartCollector(broker.Port);
        return (ingest, Own(MqttBoard.Connect(broker.Port)));
    }

    private static IWireFrame[] Predictions(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(s => (IWireFrame)Frames.Prediction((ulong)s))];

    private static IEnumerable<ulong> Numbers(int from, int to) => Enumerable.Range(from, to - from + 1).Select(s => (ulong)s);

    private static void WaitUntil(Func<bool> condition, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, explain());
            Thread.Sleep(20);
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Frames_are_stored_once_and_acknowledged_after_their_commit_one_range_per_run(BrokerKind kind)
    {
        ITestBroker broker = StartBroker(kind);
        // One batch for everything published below: a hole in it gives exactly two ranges.
        MqttIngest ingest = StartCollector(broker.Port, batchDelay: TimeSpan.FromSeconds(1));
        using var reader = new SqliteFrameStore(_database.Path);
        var storedWhenAcknowledged = new ConcurrentQueue<(AckFrame Ack, HashSet<ulong> Stored)>();
        MqttBoard board = Own(MqttBoard.Connect(broker.Port));
        board.OnAck = ack =>
        {
            lock (reader) storedWhenAcknowledged.Enqueue((ack, [.. reader.Predictions("pump-07", default).Select(p => p.Sequence)]));
        };

        board.Publish([Frames.Hello(1), .. Predictions(2, 10), .. Predictions(12, 20)]);
        board.WaitForAcksCovering([.. Numbers(1, 10), .. Numbers(12, 20)], Patience);

        Assert.Equal([(1UL, 10UL), (12UL, 20UL)], board.Acks.Select(a => (a.LowestSequence!.Value, a.HighestSequence)).Order());
        Assert.All(board.Acks, a => Assert.Equal(Frames.Session, a.SessionId));
        foreach ((AckFrame ack, HashSet<ulong> stored) in storedWhenAcknowledged)
        {
            // Every Prediction an Ack names was in the database when the Ack arrived (the Hello, 1, is not a Prediction).
            for (ulong s = Math.Max(2, ack.LowestSequence!.Value); s <= ack.HighestSequence; s++) Assert.Contains(s, stored);
        }
        Assert.Equal(19, ingest.Counters.Stored);
        // Mosquitto offers shared subscriptions; MQTTnet.Server 5.2 says it does not (CONNACK), so the embedded broker gets plain ones.
        Assert.Equal(kind == BrokerKind.Mosquitto, ingest.SharedSubscription);
        Assert.Equal([.. Numbers(2, 10), .. Numbers(12, 20)], reader.Predictions("pump-07", default).Select(p => p.Sequence));
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Duplicates_are_acknowledged_and_decode_errors_and_bad_topics_are_counted_without_blocking(BrokerKind kind)
    {
        (MqttIngest ingest, MqttBoard board) = StartBrokerCollectorAndBoard(kind);
        board.Publish([Frames.Hello(0), .. Predictions(1, 2)]);
        board.WaitForAcksCovering(Numbers(0, 2), Patience);

        board.Publish(Predictions(1, 2)); // sent again, as after a lost Ack
        board.PublishRaw("edgelstm/pump-07/prediction", [0x13, 0x37, 0xFF, 0x42]);
        board.PublishRaw("edgelstm/pump-07/alarm", [0x13, 0x37]);
        board.PublishRaw($"edgelstm/{new string('x', MqttTopics.MaxDeviceIdBytes + 1)}/prediction", [0x93, 0x02, 0x03, 0x00]);
        board.Publish(Frames.Prediction(3));
        board.WaitForAcksCovering([3], Patience);
        WaitUntil(() => ingest.Counters.BadTopics == 1 && ingest.Counters.Duplicates == 2, () => $"{ingest.Counters.BadTopics} bad topics, {ingest.Counters.Duplicates} duplicates: {Log}");

        Assert.Equal(4, ingest.Counters.Stored);
        Assert.Equal(2, ingest.Counters.DecodeErrors);
        Assert.Equal(2, board.Acks.Count(a => a.LowestSequence <= 1 && 1 <= a.HighestSequence)); // the duplicate is acknowledged again
        // Logged once per device, counted always.
        Assert.Single(Log.Split('\n'), line => line.Contains("further errors of this device are counted", StringComparison.Ordinal));
        Assert.Single(Log.Split('\n'), line => line.Contains("ignored a message on 'edgelstm/xxx", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Event_frames_are_stored_once_and_acknowledged_also_when_resent(BrokerKind kind)
    {
        (MqttIngest ingest, MqttBoard board) = StartBrokerCollectorAndBoard(kind);
        board.Publish(Frames.Hello(0), Frames.Prediction(1), Frames.Event(2, BoardEventKind.UpdateRefused, "version 7 is not above 9"));
        board.WaitForAcksCovering(Numbers(0, 2), Patience);

        board.Publish(Frames.Event(2, BoardEventKind.UpdateRefused, "version 7 is not above 9")); // its Ack was lost: the journal sends it again
        WaitUntil(() => board.Acks.Count(a => a.LowestSequence <= 2 && 2 <= a.HighestSequence) == 2, () => $"acks: {board.Acks.Count}: {Log}");

        Assert.Equal((3, 1), (ingest.Counters.Stored, ingest.Counters.Duplicates));
        using var reader = new SqliteFrameStore(_database.Path);
        EventRecord stored = Assert.Single(reader.Events("pump-07", default));
        Assert.Equal((2UL, (int)BoardEventKind.UpdateRefused, "version 7 is not above 9", (long?)Frames.Epoch + 20),
            (stored.Sequence, stored.Kind, stored.Message, stored.TimeUnixMs));
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Frames_published_while_the_collector_is_down_are_queued_by_the_broker_and_stored_when_it_is_back(BrokerKind kind)
    {
        ITestBroker broker = StartBroker(kind);
        StartCollector(broker.Port, "collector-durable").Dispose(); // its persistent session stays with the broker
        MqttBoard board = Own(MqttBoard.Connect(broker.Port));
        board.Publish([Frames.Hello(0), .. Predictions(1, 99)]);

        MqttIngest back = StartCollector(broker.Port, "collector-durable");
        board.WaitForAcksCovering(Numbers(0, 99), Patience);

        Assert.Equal(100, back.Counters.Stored);
        using var reader = new SqliteFrameStore(_database.Path);
        Assert.Equal(Numbers(1, 99), reader.Predictions("pump-07", default).Select(p => p.Sequence));
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void A_board_status_is_logged_when_no_status_sink_is_given(BrokerKind kind)
    {
        (MqttIngest ingest, MqttBoard board) = StartBrokerCollectorAndBoard(kind);
        board.PublishRaw("edgelstm/pump-07/status", "online"u8.ToArray(), retain: true);
        board.PublishRaw("edgelstm/pump-07/status", "offline"u8.ToArray(), retain: true);
        WaitUntil(() => Log.Contains("pump-07 is offline", StringComparison.Ordinal), () => Log);
        Assert.Contains("pump-07 is online", Log, StringComparison.Ordinal);
        Assert.Equal(0, ingest.Counters.DecodeErrors);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void A_batch_whose_commit_fails_is_not_acknowledged_and_the_broker_delivers_it_again(BrokerKind kind)
    {
        ITestBroker broker = StartBroker(kind);
        var flaky = new FirstCommitFails();
        MqttIngest ingest = StartCollector(broker.Port, wrap: store => flaky.Wrapping(store));
        MqttBoard board = Own(MqttBoard.Connect(broker.Port));
        int acksBeforeAnyCommit = 0;
        board.OnAck = _ =>
        {
            if (flaky.Committed == 0) Interlocked.Increment(ref acksBeforeAnyCommit);
        };

        board.Publish([Frames.Hello(0), .. Predictions(1, 9)]);
        board.WaitForAcksCovering(Numbers(0, 9), Patience);

        Assert.Equal(1, ingest.Counters.CommitFailures);
        Assert.Equal(0, acksBeforeAnyCommit);
        Assert.Equal(10, ingest.Counters.Stored);
        Assert.Contains("reconnecting unacknowledged", Log, StringComparison.Ordinal);
    }

    /// <summary>A store whose first transaction fails, as a database briefly locked or a full disk would; the rest go through.</summary>
    private sealed class FirstCommitFails : IFrameStore
    {
        private IFrameStore? _inner;
        private int _commits;
        private int _committed;

        /// <summary>Transactions that went through.</summary>
        public int Committed => Volatile.Read(ref _committed);

        public FirstCommitFails Wrapping(IFrameStore inner)
        {
            _inner = inner;
            return this;
        }

        private IFrameStore Inner => _inner ?? throw new InvalidOperationException("not wrapping a store");

        public string Name => Inner.Name;

        public CommitResult Commit(IReadOnlyList<ReceivedFrame> batch)
        {
            if (Interlocked.Increment(ref _commits) == 1) throw new IOException("disk full");
            CommitResult result = Inner.Commit(batch);
            Interlocked.Increment(ref _committed);
            return result;
        }

        public void RecordStatus(string deviceId, bool online, long atUnixMs) => Inner.RecordStatus(deviceId, online, atUnixMs);

        public IReadOnlyList<DeviceRecord> Devices() => Inner.Devices();

        public IReadOnlyList<AlarmRecord> Alarms(string? deviceId, bool openOnly) => Inner.Alarms(deviceId, openOnly);

        public IReadOnlyList<PredictionRecord> Predictions(string deviceId, TimeRange range) => Inner.Predictions(deviceId, range);

        public IReadOnlyList<HealthRecord> Health(string deviceId, TimeRange range) => Inner.Health(deviceId, range);

        public IReadOnlyList<GapRecord> Gaps(string deviceId) => Inner.Gaps(deviceId);

        public IReadOnlyList<string> OutputLabels(string deviceId) => Inner.OutputLabels(deviceId);

        public IReadOnlyList<EventRecord> Events(string? deviceId, TimeRange range) => Inner.Events(deviceId, range);

        public void RecordPush(PushRecord push) => Inner.RecordPush(push);

        public IReadOnlyList<PushRecord> Pushes(string? deviceId) => Inner.Pushes(deviceId);

        public void Dispose()
        {
            // the wrapped store is disposed by its owner
        }
    }

    [MosquittoFact]
    public void Two_collectors_on_the_shared_subscription_store_every_frame_once_and_acknowledge_each_once()
    {
        ITestBroker broker = StartBroker(BrokerKind.Mosquitto);
        MqttIngest first = StartCollector(broker.Port, "collector-a");
        MqttIngest second = StartCollector(broker.Port, "collector-b");
        MqttBoard board = Own(MqttBoard.Connect(broker.Port));

        board.Publish([Frames.Hello(0), .. Predictions(1, 999)]);
        board.WaitForAcksCovering(Numbers(0, 999), TimeSpan.FromSeconds(60));

        using var reader = new SqliteFrameStore(_database.Path);
        Assert.Equal(Numbers(1, 999), reader.Predictions("pump-07", default).Select(p => p.Sequence));
        Assert.Equal(1000, first.Counters.Stored + second.Counters.Stored);
        Assert.Equal(0, first.Counters.Duplicates + second.Counters.Duplicates);
        Assert.True(first.Counters.Stored > 0 && second.Counters.Stored > 0, $"the broker gave everything to one collector: {first.Counters.Stored} / {second.Counters.Stored}");
        // Ranges that together name 1000 frames and cover all 1000: each frame acknowledged exactly once.
        Assert.Equal(1000UL, board.Acks.Aggregate(0UL, (sum, a) => sum + a.HighestSequence - a.LowestSequence!.Value + 1));
        Assert.Equal(0, first.Counters.CommitFailures + second.Counters.CommitFailures);
    }

    [MosquittoFact]
    public void The_collector_reconnects_after_the_broker_restarts_and_keeps_its_session()
    {
        var broker = (MosquittoBroker)StartBroker(BrokerKind.Mosquitto);
        MqttIngest ingest = StartCollector(broker.Port);
        using (MqttBoard before = MqttBoard.Connect(broker.Port))
        {
            before.Publish(Frames.Hello(0));
            before.WaitForAcksCovering([0], Patience);
        }

        broker.Stop();
        broker.Start();
        WaitUntil(() => Log.Contains("connected to mqtt://127.0.0.1", StringComparison.Ordinal), () => Log);
        MqttBoard after = Own(MqttBoard.Connect(broker.Port));
        after.Publish(Frames.Prediction(1));
        after.WaitForAcksCovering([1], Patience);

        Assert.Equal(2, ingest.Counters.Stored);
        Assert.Single(Log.Split('\n'), line => line.Contains("lost the broker", StringComparison.Ordinal));
    }
}

/// <summary>The MQTT tests run one at a time: each starts brokers and collectors, and the machine is small.</summary>
[CollectionDefinition(Name)]
public sealed class MqttTestGroup
{
    public const string Name = "mqtt";
}
