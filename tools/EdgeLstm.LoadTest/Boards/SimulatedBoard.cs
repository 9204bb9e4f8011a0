using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using EdgeLstm.LoadTest.Measurement;
using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.LoadTest.Boards;

/// <summary>
/// One simulated board: its own MQTT 5 client (clean start off, a session expiry, an <c>offline</c> Will), subscribed
/// to its Ack topic, publishing a retained Hello and then, tick by tick, the frames of its <see cref="FrameSchedule"/>
/// at QoS 1 without waiting for each PUBACK (a board's send queue). Every frame is recorded in its
/// <see cref="SentLedger"/>; the collector's range Acks close them.
/// </summary>
internal sealed class SimulatedBoard : IDisposable
{
    private static readonly TimeSpan SessionExpiry = TimeSpan.FromHours(1);
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string _deviceId;
    private readonly FrameFactory _frames;
    private readonly FrameSchedule _schedule;
    private readonly FleetCounters _counters;
    private readonly string _predictionTopic;
    private readonly string _healthTopic;
    private readonly string _alarmTopic;
    private ulong _nextSequence;
    private long _tick;

    /// <summary>Board <paramref name="index"/> of the fleet.</summary>
    public SimulatedBoard(string deviceId, int index, double rateHz, LatencyHistogram latencies, FleetCounters counters)
    {
        _deviceId = deviceId;
        _frames = new FrameFactory(deviceId, (ulong)RandomNumberGenerator.GetInt32(int.MaxValue) << 16 | (uint)index, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _schedule = new FrameSchedule(rateHz, index * 7919L); // a prime stride spreads phases over the fleet
        _counters = counters;
        Ledger = new SentLedger(latencies);
        _predictionTopic = MqttTopics.For(deviceId, MqttTopics.Prediction);
        _healthTopic = MqttTopics.For(deviceId, MqttTopics.Health);
        _alarmTopic = MqttTopics.For(deviceId, MqttTopics.Alarm);
        _client.ApplicationMessageReceivedAsync += args =>
        {
            ReceiveAck(args.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
    }

    /// <summary>What it sent and what was acknowledged.</summary>
    public SentLedger Ledger { get; }

    /// <summary>Whether its connection is up.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects, subscribes to its Acks, says it is online and publishes its Hello (retained, the birth message).</summary>
    public async Task StartAsync(string host, int port, CancellationToken cancel)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_deviceId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithWillTopic(MqttTopics.For(_deviceId, MqttTopics.Status))
            .WithWillPayload(MqttTopics.Offline)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain()
            .Build();
        await _client.ConnectAsync(options, cancel).ConfigureAwait(false);
        await _client.SubscribeAsync(MqttTopics.For(_deviceId, MqttTopics.Ack), MqttQualityOfServiceLevel.AtLeastOnce, cancel).ConfigureAwait(false);
        await PublishAsync(MqttTopics.For(_deviceId, MqttTopics.Status), System.Text.Encoding.UTF8.GetBytes(MqttTopics.Online), retain: true, cancel).ConfigureAwait(false);
        ulong hello = _nextSequence++;
        Ledger.RecordSent(hello, Stopwatch.GetTimestamp());
        _counters.CountSent(FrameType.Hello);
        await PublishAsync(MqttTopics.For(_deviceId, MqttTopics.Hello), _frames.Hello(hello), retain: true, cancel).ConfigureAwait(false);
    }

    /// <summary>Sends the next tick's frames (a Prediction, and a Health or Alarm when due) without waiting for the broker.</summary>
    public void Tick()
    {
        if (!_client.IsConnected)
        {
            _counters.TickSkipped(); // a real board would journal them; here they are simply not sent
            return;
        }
        uint timeMs = (uint)((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - _frames.EpochUnixMs);
        TickExtras extras = _schedule.ExtrasAt(_tick++);
        Send(FrameType.Prediction, _predictionTopic, sequence => _frames.Prediction(sequence, timeMs));
        if (extras.HasFlag(TickExtras.Health)) Send(FrameType.Health, _healthTopic, sequence => _frames.Health(sequence, timeMs));
        if (extras.HasFlag(TickExtras.Alarm)) Send(FrameType.Alarm, _alarmTopic, sequence => _frames.Alarm(sequence, timeMs));
    }

    /// <summary>Says it is going offline and disconnects cleanly (its session stays with the broker until it expires).</summary>
    public async Task StopAsync(CancellationToken cancel)
    {
        if (!_client.IsConnected) return;
        try
        {
            await PublishAsync(MqttTopics.For(_deviceId, MqttTopics.Status), System.Text.Encoding.UTF8.GetBytes(MqttTopics.Offline), retain: true, cancel).ConfigureAwait(false);
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // the run is over: a board that cannot say goodbye is left to its Will
        }
    }

    /// <summary>Releases the client.</summary>
    public void Dispose() => _client.Dispose();

    private void Send(FrameType type, string topic, Func<ulong, byte[]> encode)
    {
        ulong sequence = _nextSequence++;
        byte[] payload = encode(sequence);
        Ledger.RecordSent(sequence, Stopwatch.GetTimestamp());
        _counters.CountSent(type);
        _ = TrackAsync(PublishAsync(topic, payload, retain: false, CancellationToken.None));
    }

    private async Task TrackAsync(Task publish)
    {
        _counters.PublishStarted();
        try
        {
            await publish.ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            _counters.PublishFailed();
        }
        finally
        {
            _counters.PublishEnded();
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancel)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        MqttClientPublishResult result = await _client.PublishAsync(message, cancel).ConfigureAwait(false);
        if (!result.IsSuccess) throw new InvalidOperationException($"the broker refused a publish on {topic}: {result.ReasonCode}");
    }

    private void ReceiveAck(ReadOnlySequence<byte> payload)
    {
        long now = Stopwatch.GetTimestamp();
        DecodeResult result = PayloadDecoder.Decode(payload.ToArray());
        if (!result.IsFrame || result.FrameType != FrameType.Ack)
        {
            _counters.BadAckReceived();
            return;
        }
        AckFrame ack = result.Ack;
        _counters.AckReceived();
        Ledger.RecordAck(ack.LowestSequence ?? ack.HighestSequence, ack.HighestSequence, now);
    }
}
