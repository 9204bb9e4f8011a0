using System.Buffers;
using System.Collections.Concurrent;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks.Tls;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery through an MQTT broker (<see cref="DeliverySink"/>; docs/protocol.md § MQTT): each journaled
/// frame is published at QoS 1 to <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c>, the newest Hello retained (the birth
/// message), <c>…/status</c> says <c>online</c> (retained) with <c>offline</c> as the MQTT Will. An MQTT 5 session that
/// outlives a disconnect keeps the subscription to <c>…/ack</c>, where the collector publishes range Acks after its
/// commit: only those release the journal. A broker's PUBACK only says the broker took the frame.
/// The sender thread allocates per frame here (MQTTnet's messages and tasks); the sampling thread never does.
/// </summary>
internal sealed class MqttSink : DeliverySink
{
    /// <summary>Publishes awaiting the broker's PUBACK at once; more wait for the oldest (a broker's receive maximum is often 20–100).</summary>
    private const int MaxPublishesInFlight = 16;

    private readonly MqttSinkSettings _settings;
    private readonly string[] _frameTopics = new string[8];
    private readonly string _statusTopic;
    private readonly string _ackTopic;
    private readonly string _commandTopic;
    private readonly Updates.CommandInbox? _commands;
    private readonly ConcurrentQueue<AckFrame> _acks = new();
    private readonly Queue<Task<MqttClientPublishResult>> _inFlight = new();
    private readonly TlsClientContext? _tls;
    private IMqttClient? _client;
    private volatile string? _closedBecause;
    private ulong _retainedHello;
    private bool _anyHelloRetained;
    private long _ignoredMessages;

    /// <summary>Starts the sender thread; the first connection attempt happens at once.</summary>
    /// <param name="settings">The broker and the board's identity.</param>
    /// <param name="journal">The journal the frames are delivered from.</param>
    /// <param name="timings">Retry and timeout settings.</param>
    /// <param name="log">Where link problems are logged.</param>
    /// <param name="commands">Where signed update commands from <c>…/cmd</c> go; null: the board does not subscribe to them.</param>
    public MqttSink(MqttSinkSettings settings, FrameJournal journal, DeliveryTimings timings, TextWriter log, Updates.CommandInbox? commands = null)
        : base($"mqtt {settings.Broker} as {settings.DeviceId}", journal, timings, log)
    {
        _settings = settings;
        _commands = commands;
        _commandTopic = MqttTopics.For(settings.DeviceId, MqttTopics.Command);
        foreach (FrameType type in (ReadOnlySpan<FrameType>)[FrameType.Hello, FrameType.Prediction, FrameType.Alarm, FrameType.Health, FrameType.Event])
            _frameTopics[(int)type] = MqttTopics.For(settings.DeviceId, MqttTopics.KindOf(type)!);
        _statusTopic = MqttTopics.For(settings.DeviceId, MqttTopics.Status);
        _ackTopic = MqttTopics.For(settings.DeviceId, MqttTopics.Ack);
        // Made once: a CA, certificate or key file that cannot be used stops the start instead of failing every reconnect.
        _tls = settings.Tls is { } tls ? new TlsClientContext(tls, "broker") : null;
        Start();
    }

    /// <summary>Messages that arrived on the Ack topic but were not Acks, and commands the inbox could not take (counted, otherwise ignored).</summary>
    public long IgnoredMessages => Interlocked.Read(ref _ignoredMessages);

    /// <summary>A broker does not keep one board's frames in order across topics, nor across a shared subscription.</summary>
    protected override bool KeepsOrder => false;

    protected override void Connect()
    {
        _closedBecause = null;
        _acks.Clear();
        IMqttClient client = MqttTcpAdapterFactory.CreateClient(_tls);
        client.ApplicationMessageReceivedAsync += OnMessage;
        client.DisconnectedAsync += e =>
        {
            _closedBecause = e.Reason.ToString();
            return Task.CompletedTask;
        };
        try
        {
            MqttClientConnectResult connected = Wait(client.ConnectAsync(Options()), "connect");
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
                throw new IOException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
            var subscription = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_ackTopic, MqttQualityOfServiceLevel.AtLeastOnce);
            if (_commands is not null) subscription.WithTopicFilter(_commandTopic, MqttQualityOfServiceLevel.AtLeastOnce);
            MqttClientSubscribeResult subscribed = Wait(client.SubscribeAsync(subscription.Build()), "subscribe");
            if (subscribed.Items.FirstOrDefault(i => (int)i.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2) is { } refused)
                throw new IOException($"the broker refused the subscription to {refused.TopicFilter.Topic}: {refused.ResultCode}");
            _client = client;
            _anyHelloRetained = false;
            PublishStatus(client, MqttTopics.Online);
        }
        catch
        {
            _client = null;
            client.Dispose();
            throw;
        }
    }

    private MqttClientOptions Options()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_settings.Broker.Host, _settings.Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_settings.ClientId)
            // A session that outlives the connection: Acks published while the board is away wait for it.
            .WithCleanStart(false)
            .WithSessionExpiryInterval(_settings.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(Timings.SendTimeout)
            .WithWillTopic(_statusTopic)
            .WithWillPayload(MqttTopics.Offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_settings.Username is not null) options.WithCredentials(_settings.Username, _settings.Password);
        return options.Build();
    }

    protected override void Transmit(in JournalRecord record, ReadOnlySpan<byte> payload)
    {
        // Only the newest Hello is the birth message: an older one resent from the backlog must not replace it.
        bool retain = record.Type == FrameType.Hello && (!_anyHelloRetained || record.Sequence > _retainedHello);
        if (retain) (_retainedHello, _anyHelloRetained) = (record.Sequence, true);
        while (_inFlight.Count >= MaxPublishesInFlight) Complete(_inFlight.Dequeue());
        _inFlight.Enqueue(Client.PublishAsync(Message(_frameTopics[(int)record.Type], payload.ToArray(), retain)));
    }

    protected override void TransmitPending()
    {
        while (_inFlight.TryPeek(out Task<MqttClientPublishResult>? oldest) && oldest.IsCompleted) Complete(_inFlight.Dequeue());
    }

    protected override bool TryReceiveAck(out AckFrame ack)
    {
        if (_acks.TryDequeue(out ack)) return true;
        if (_client is not { IsConnected: true }) throw new IOException($"the broker connection closed ({_closedBecause ?? "unknown reason"})");
        return false;
    }

    protected override void Disconnect()
    {
        IMqttClient? client = _client;
        _client = null;
        if (client is null) return;
        try
        {
            if (Stopping && client.IsConnected)
            {
                // A clean stop: the last frames' PUBACKs, then our own word that we are gone (no Will on a clean disconnect).
                while (_inFlight.Count > 0) Complete(_inFlight.Dequeue());
                PublishStatus(client, MqttTopics.Offline);
                Wait(client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build()), "disconnect");
            }
        }
#pragma warning disable CA1031 // closing a link that already failed: nothing more to learn from it
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _inFlight.Clear();
            client.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _tls?.Dispose();
    }

    private IMqttClient Client => _client ?? throw new InvalidOperationException("not connected");

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        Retain = retain,
    };

    /// <summary>Publishes the board's retained status (online, offline) and waits for the broker to take it.</summary>
    private void PublishStatus(IMqttClient client, string status) =>
        Complete(client.PublishAsync(Message(_statusTopic, System.Text.Encoding.UTF8.GetBytes(status), retain: true)));

    /// <summary>Waits for one publish's PUBACK; a broker that refuses the message (reason ≥ 0x80) fails the link.</summary>
    private void Complete(Task<MqttClientPublishResult> publish)
    {
        MqttClientPublishResult result = Wait(publish, "publish");
        if (!result.IsSuccess)
            throw new IOException($"the broker refused a message: {result.ReasonCode} {result.ReasonString}".TrimEnd());
    }

    /// <summary>The task's result within the send timeout; a timeout or a failure becomes an exception the sender logs once.</summary>
    private T Wait<T>(Task<T> task, string what)
    {
        Wait((Task)task, what);
        return task.Result;
    }

    private void Wait(Task task, string what)
    {
        try
        {
            if (!task.Wait(Timings.SendTimeout))
                throw new TimeoutException($"no answer from {_settings.Broker} to {what} within {DeliveryTimings.Words(Timings.SendTimeout)}");
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            throw new IOException($"{what} failed: {Cause(inner)}", inner);
        }
    }

    /// <summary>What a failed MQTTnet call means: the TLS layer's own sentence, or a hint when a plain connection was cut at once.</summary>
    private string Cause(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is TlsException) return cause.Message;
            if (!_settings.Broker.UseTls && cause is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset } or EndOfStreamException)
                return $"the broker {_settings.Broker.Host}:{_settings.Broker.Port} closed the connection before answering (a TLS port? then use mqtts://)";
        }
        return e.Message;
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        MqttApplicationMessage message = e.ApplicationMessage;
        if (_commands is not null && message.Topic == _commandTopic)
        {
            // Checked and applied elsewhere (UpdateWorker, then the pipeline); here only bounded and queued.
            if (message.Payload.Length > Updates.CommandInbox.MaxMessageBytes || !_commands.Post(message.Payload.ToArray()))
                Interlocked.Increment(ref _ignoredMessages);
            return Task.CompletedTask;
        }
        if (message.Topic == _ackTopic && message.Payload.Length <= DecoderLimits.Default.MaxPayloadBytes)
        {
            DecodeResult result = PayloadDecoder.Decode(message.Payload.IsSingleSegment ? message.Payload.First : message.Payload.ToArray());
            if (result.IsFrame && result.FrameType == FrameType.Ack)
            {
                _acks.Enqueue(result.Ack);
                return Task.CompletedTask;
            }
        }
        Interlocked.Increment(ref _ignoredMessages);
        return Task.CompletedTask;
    }
}

/// <summary>What an MQTT sink needs: the broker, who the board is, and how long the broker keeps its session.</summary>
/// <param name="Broker">The broker's address.</param>
/// <param name="DeviceId">The device id in every topic (checked with <see cref="MqttTopics.DeviceIdProblem"/>).</param>
/// <param name="ClientId">The MQTT client id; one session per id at the broker.</param>
/// <param name="Username">The user name, or null for anonymous.</param>
/// <param name="Password">The password, or null.</param>
/// <param name="SessionExpirySeconds">How long the broker keeps the board's session (its Ack subscription and queued Acks) after a disconnect.</param>
/// <param name="Tls">TLS to the broker (<c>mqtts://</c>), or null for plain TCP.</param>
internal sealed record MqttSinkSettings(MqttBrokerAddress Broker, string DeviceId, string ClientId, string? Username, string? Password, uint SessionExpirySeconds,
    TlsClientOptions? Tls = null);
