using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>
/// The mqtt sink wired as <c>edgelstm run</c> wires it, through a real MQTT broker to a collector that answers with range
/// Acks: frames reach their topics once each, only the collector's Acks release the journal (a broker's PUBACK does
/// not), a held-back Ack holds the journal at that frame, a broker that goes away and comes back gets the backlog.
/// Timeouts are short so a test takes seconds; every wait is bounded.
/// </summary>
public sealed class MqttSinkTests : IDisposable
{
    // A broker round trip is longer than a TCP write: the send and Ack timeouts get 2 s.
    private static readonly DeliveryTimings Quick = BoardRun.Quick with { SendTimeout = TimeSpan.FromSeconds(2), AckTimeout = TimeSpan.FromSeconds(2) };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string Device = "pump-7";

    private readonly MqttAckingCollector _collector = new();
    private readonly StringWriter _logText = new();
    private readonly TextWriter _log;

    public MqttSinkTests() => _log = TextWriter.Synchronized(_logText);

    public void Dispose() => _collector.Dispose();

    private TestBoard Board() => new(sinks: $$"""[ { "type": "mqtt", "broker": "{{_collector.Uri}}" } ]""");

    private BoardRun Start(TestBoard board, string? journal = null) =>
        new(board, Quick, journal, _log, new RunOverrides(DeviceId: Device));

    private bool Released(BoardRun run) => SpinWait.SpinUntil(() => run.Sink.Backlog == 0, Patience);

    [Fact]
    public void Every_frame_reaches_its_topic_once_and_the_collectors_acks_release_the_journal()
    {
        using TestBoard board = Board();
        using var run = Start(board);
        run.Steps(1000);

        Assert.True(_collector.WaitUntil(c => c.Count == (int)run.Emitter.NextSequence, Patience), $"{_collector.Count} of {run.Emitter.NextSequence} arrived; log:\n{_logText}");
        Assert.True(Released(run), $"backlog {run.Sink.Backlog}; log:\n{_logText}");
        SortedDictionary<ulong, MqttAckingCollector.ReceivedMessage> frames = _collector.Frames();
        Assert.Equal(Enumerable.Range(0, (int)run.Emitter.NextSequence).Select(i => (ulong)i), frames.Keys);
        Assert.All(frames.Values, f => Assert.Equal(MqttTopics.KindOf(f.Type), f.Kind));
        Assert.Equal(FrameType.Hello, frames[0].Type);
        Assert.Contains(frames.Values, f => f.Type == FrameType.Health);
        Assert.Equal(MqttTopics.Online, _collector.Status(Device));
        // The sink counts what an Ack released a moment after the journal released it.
        Assert.True(SpinWait.SpinUntil(() => (ulong)run.Sink.Acknowledged == run.Emitter.NextSequence, Patience), $"{run.Sink.Acknowledged} acknowledged");
    }

    [Fact]
    public void The_hello_is_retained_as_the_birth_message_and_a_clean_stop_says_offline()
    {
        using TestBoard board = Board();
        using (var run = Start(board))
        {
            run.Steps(50);
            Assert.True(Released(run), $"log:\n{_logText}");
        }

        Assert.True(_collector.WaitUntil(c => c.Status(Device) == MqttTopics.Offline, Patience));
        // A subscriber that comes later is handed the retained Hello at once.
        (bool retained, byte[] payload) = _collector.RetainedMessage(MqttTopics.For(Device, MqttTopics.Hello), Patience) ?? throw new Xunit.Sdk.XunitException("no retained Hello");
        Assert.True(retained);
        Assert.Equal(Device, PayloadDecoder.Decode(payload).Hello.DeviceId);
    }

    [Fact]
    public void A_brokers_puback_is_not_delivery_frames_stay_in_the_journal_until_the_collector_acknowledges()
    {
        using TestBoard board = Board();
        _collector.Acking = false;
        using var run = Start(board);
        run.Steps(300);

        Assert.True(_collector.WaitUntil(c => c.Count == (int)run.Emitter.NextSequence, Patience));
        Assert.Equal((long)run.Emitter.NextSequence, run.Sink.Backlog);
        Assert.Equal(0, run.Sink.Acknowledged);

        // No Ack within the Ack timeout: the link is dropped and the backlog sent again, then acknowledged.
        _collector.Acking = true;
        Assert.True(Released(run), $"backlog {run.Sink.Backlog}; log:\n{_logText}");
        Assert.True(_collector.Messages > (long)run.Emitter.NextSequence, "the unacknowledged frames were sent again");
        Assert.True(_collector.Frames().Values.Any(f => f.Flags.HasFlag(FrameFlags.Historical)), "resent frames are marked historical");
    }

    [Fact]
    public void A_frame_the_collector_has_not_acknowledged_holds_the_journal_at_it_whatever_comes_after()
    {
        using TestBoard board = Board();
        _collector.Withhold(5);
        using var run = Start(board);
        run.Steps(200);

        Assert.True(_collector.WaitUntil(c => c.Count == (int)run.Emitter.NextSequence, Patience));
        Thread.Sleep(200); // the Acks of everything after 5 arrive
        Assert.Equal(5UL, run.Journal.AcknowledgedNext(run.Sink.Consumer));

        _collector.Release(Device, 5);
        Assert.True(Released(run), $"backlog {run.Sink.Backlog}; log:\n{_logText}");
    }

    [Fact]
    public void A_broker_that_goes_away_gets_the_backlog_when_it_comes_back()
    {
        using TestBoard board = Board();
        using var run = Start(board);
        run.Steps(100);
        Assert.True(Released(run), $"log:\n{_logText}");

        _collector.StopBroker();
        run.Steps(2000);
        Assert.True(SpinWait.SpinUntil(() => run.Sink.Failure is not null, Patience), "the sink reports the lost broker");
        Assert.True(run.Sink.Backlog > 0);

        _collector.StartBroker();
        Assert.True(Released(run), $"backlog {run.Sink.Backlog}; log:\n{_logText}");
        Assert.Equal(Enumerable.Range(0, (int)run.Emitter.NextSequence).Select(i => (ulong)i), _collector.Frames().Keys);
        Assert.Contains("connected again", _logText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_on_the_ack_topic_is_counted_and_ignored()
    {
        using TestBoard board = Board();
        using var run = Start(board);
        run.Steps(20);
        Assert.True(Released(run));

        string ackTopic = MqttTopics.For(Device, MqttTopics.Ack);
        _collector.Publish(ackTopic, [0xc1]);
        _collector.Publish(ackTopic, [0x93, 0x05, 0xcf]);
        _collector.Publish(ackTopic, new byte[70_000]);
        var sink = (MqttSink)run.Sink;
        Assert.True(SpinWait.SpinUntil(() => sink.IgnoredMessages == 3, Patience), $"{sink.IgnoredMessages} ignored");

        run.Steps(20);
        Assert.True(Released(run), "delivery goes on");
    }
}
