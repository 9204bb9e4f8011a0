using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>
/// The MQTT ingest: one MQTT 5 client with a persistent session (clean start off, a session expiry) subscribed at
/// QoS 1 to what boards publish (<see cref="MqttTopic"/>), as a shared subscription when the broker offers one, so
/// several collectors split the load. Messages are batched, decoded as untrusted input and committed to the
/// <see cref="IFrameStore"/>; only then are they acknowledged to the broker (PUBACK) and to the boards (range Acks on
/// <c>edgelstm/&lt;deviceId&gt;/ack</c>). A collector that stops before a commit leaves its messages unacknowledged,
/// so the broker delivers them again. A commit that fails drops the connection for the same reason.
/// </summary>
internal sealed class MqttIngest : IDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The most range Acks published at once, whatever the broker allows.</summary>
    private const int MaxAcksInFlight = 256;

    // Range Acks published at once: the broker's Receive Maximum from its CONNACK (MQTT 5; Mosquitto sends its
    // max_inflight_messages, 20 by default), as a client that exceeds it is disconnected.
    private volatile int _acksInFlight = 16;
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);

    private readonly IFrameStore _store;
    private readonly MqttIngestOptions _options;
    private readonly TextWriter _log;
    private readonly StatusChangeLog _statusLog;
    private readonly MqttMessageSorter _sorter;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly Channel<Delivery> _inbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _subscribed = new();
    private readonly DeviceSessions _sessions;
    private readonly PendingAcks _pendingAcks = new();
    private int _connection; // which connection a message came over: a PUBACK goes only to the connection it belongs to
    private int _outageLogged;
    private bool _ackFailureLogged;
    private bool _disposed;
    private Task? _worker;

    /// <summary>Creates the client (not yet connected: see <see cref="Start"/>).</summary>
    /// <param name="store">Where frames are committed.</param>
    /// <param name="options">Broker, client id, batching.</param>
    /// <param name="log">Where problems and status changes are written.</param>
    public MqttIngest(IFrameStore store, MqttIngestOptions options, TextWriter log)
    {
        _store = store;
        _options = options;
        _log = log;
        _statusLog = new StatusChangeLog(log);
        _sorter = new MqttMessageSorter(Counters, log);
        _sessions = new DeviceSessions(store);
        _clientOptions = ClientOptions(options);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += Receive;
        _client.DisconnectedAsync += Disconnected;
    }

    /// <summary>What the ingest has done (<see cref="IngestCounters.Acks"/>: range Acks published).</summary>
    public IngestCounters Counters { get; } = new();

    /// <summary>Whether the latest connection subscribed as a shared subscription (the broker offered one), not plainly.</summary>
    public bool SharedSubscription { get; private set; }

    /// <summary>Starts connecting (with backoff, until it succeeds or the ingest stops) and ingesting.</summary>
    public void Start() => _worker = Task.Run(RunAsync);

    /// <summary>Waits until the client is connected and subscribed; false after <paramref name="timeout"/>.</summary>
    public bool WaitUntilSubscribed(TimeSpan timeout) => _subscribed.Wait(timeout);

    /// <summary>
    /// Stops taking messages, commits what already arrived, acknowledges it (PUBACK and range Acks) and disconnects,
    /// keeping the session: what the broker delivers after this waits there for the next start. Waits up to <paramref name="grace"/>.
    /// </summary>
    public void Stop(TimeSpan grace)
    {
        _stop.Cancel();
        try
        {
            _worker?.Wait(grace);
        }
        catch (AggregateException e)
        {
            _log.WriteLine($"edgelstm-collector: mqtt: the ingest ended with {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop(TimeSpan.FromSeconds(10));
        _client.Dispose();
        _stop.Dispose();
        _subscribed.Dispose();
    }

    private static MqttClientOptions ClientOptions(MqttIngestOptions options)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Broker.Host, options.Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(options.ClientId)
            // A persistent session: while the collector is down the broker keeps its subscriptions and queues for it.
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            // Unacknowledged messages the broker may have in flight to us: enough for two full batches (a broker may cap it lower).
            .WithReceiveMaximum((ushort)Math.Clamp(options.MaxBatchFrames * 2, 1, ushort.MaxValue))
            .WithTimeout(NetworkTimeout);
        // The broker's certificate is checked for the host name the URL gave, against --broker-ca or the system's CAs.
        if (options.Broker.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(options.Broker.Host);
                if (options.TrustedCa is { } ca) tls.WithCertificateValidationHandler(e => SignedBy(ca, e.Certificate, e.SslPolicyErrors));
                if (options.ClientCertificate is { } certificate) tls.WithClientCertificates([certificate]);
            });
        }
        if (options.Broker.Username is not null) builder = builder.WithCredentials(options.Broker.Username, options.Broker.Password);
        return builder.Build();
    }

    /// <summary>
    /// True when the broker's certificate was issued to the host connected to and chains to one of <paramref name="ca"/>
    /// (only those: the system's CAs are not consulted).
    /// </summary>
    internal static bool SignedBy(X509Certificate2Collection ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 leaf || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    /// <summary>MQTTnet's receive handler: only queues the message, not acknowledged (PUBACK waits for the commit).</summary>
    private Task Receive(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = false;
        if (_stop.IsCancellationRequested) return Task.CompletedTask; // left unacknowledged: the broker keeps it for the next start
        MqttApplicationMessage message = args.ApplicationMessage;
        // Copied: the payload's buffer belongs to the client once this handler returns.
        _inbox.Writer.TryWrite(new Delivery(args, message.Topic, message.Payload.ToArray(), Volatile.Read(ref _connection)));
        return Task.CompletedTask;
    }

    private Task Disconnected(MqttClientDisconnectedEventArgs args)
    {
        _subscribed.Reset();
        if (args.ClientWasConnected && !_stop.IsCancellationRequested && Interlocked.Exchange(ref _outageLogged, 1) == 0)
        {
            _log.WriteLine($"edgelstm-collector: mqtt: lost the broker {_options.Broker} ({args.Reason}{(args.Exception is null ? "" : ": " + args.Exception.Message)}); reconnecting");
        }
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        var batch = new List<Delivery>();
        // Acks go out on their own loop: waiting for the broker's PUBACKs of a thousand Acks must not hold up commits.
        Task acks = PublishAcksEveryIntervalAsync(stop);
        while (!stop.IsCancellationRequested)
        {
            if (!_client.IsConnected && !await ConnectAsync(stop).ConfigureAwait(false)) break;
            await CollectAsync(batch, stop).ConfigureAwait(false);
            if (batch.Count > 0 && !await FlushAsync(batch).ConfigureAwait(false)) await DropConnectionAsync().ConfigureAwait(false);
        }
        // Shutdown: what already arrived is committed and acknowledged; what comes later stays with the broker.
        while (_inbox.Reader.TryRead(out Delivery delivery))
        {
            batch.Add(delivery);
            if (batch.Count >= _options.MaxBatchFrames) await FlushAsync(batch).ConfigureAwait(false);
        }
        if (batch.Count > 0) await FlushAsync(batch).ConfigureAwait(false);
        await acks.ConfigureAwait(false);
        await PublishPendingAcksAsync().ConfigureAwait(false);
        if (_client.IsConnected) await DisconnectAsync(MqttClientDisconnectOptionsReason.NormalDisconnection).ConfigureAwait(false);
    }

    /// <summary>Connects and subscribes, retrying with doubling waits; false when the ingest stopped first.</summary>
    private async Task<bool> ConnectAsync(CancellationToken stop)
    {
        TimeSpan delay = _options.MinReconnectDelay;
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _connection);
            try
            {
                MqttClientConnectResult connected = await _client.ConnectAsync(_clientOptions, stop).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
                }
                _acksInFlight = Math.Clamp(connected.ReceiveMaximum is > 0 and ushort allowed ? (int)allowed : ushort.MaxValue, 1, MaxAcksInFlight);
                await SubscribeAsync(connected.SharedSubscriptionAvailable, stop).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _outageLogged, 0) == 1) _log.WriteLine($"edgelstm-collector: mqtt: connected to {_options.Broker} again");
                _subscribed.Set();
                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
#pragma warning disable CA1031 // any failure to connect means the same: wait and try again, logged once per outage
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
                {
                    _log.WriteLine($"edgelstm-collector: mqtt: cannot reach the broker {_options.Broker} ({e.Message}); retrying until it answers");
                }
                if (_client.IsConnected) await DropConnectionAsync().ConfigureAwait(false); // connected but not subscribed
            }
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
        return false;
    }

    private async Task SubscribeAsync(bool shared, CancellationToken stop)
    {
        SharedSubscription = shared;
        var subscription = new MqttClientSubscribeOptionsBuilder();
        foreach (string filter in MqttTopic.Filters(shared))
        {
            // Retained messages (the Hello births, the statuses) only for a new subscription, not at every reconnect.
            subscription.WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS().WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly));
        }
        MqttClientSubscribeResult result = await _client.SubscribeAsync(subscription.Build(), stop).ConfigureAwait(false);
        foreach (MqttClientSubscribeResultItem item in result.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            {
                throw new InvalidOperationException($"the broker refused the subscription {item.TopicFilter.Topic}: {item.ResultCode}");
            }
        }
    }

    /// <summary>Disconnects (keeping the session) so that the broker delivers again what was not acknowledged.</summary>
    private Task DropConnectionAsync() => DisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError);

    /// <summary>Disconnects, keeping the session (its expiry is the one given at connect).</summary>
    private async Task DisconnectAsync(MqttClientDisconnectOptionsReason reason)
    {
        _subscribed.Reset();
        try
        {
            using var timeout = new CancellationTokenSource(NetworkTimeout);
            await _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = reason }, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // already gone: that is what was wanted
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Adds arrived messages to <paramref name="batch"/> until it is full, its first message is <see cref="MqttIngestOptions.MaxBatchDelay"/> old, or nothing came for a while.</summary>
    private async Task CollectAsync(List<Delivery> batch, CancellationToken stop)
    {
        long started = Stopwatch.GetTimestamp();
        while (batch.Count < _options.MaxBatchFrames && !stop.IsCancellationRequested && _client.IsConnected)
        {
            if (_inbox.Reader.TryRead(out Delivery delivery))
            {
                if (batch.Count == 0) started = Stopwatch.GetTimestamp();
                batch.Add(delivery);
                continue;
            }
            TimeSpan wait = batch.Count == 0 ? IdlePoll : _options.MaxBatchDelay - Stopwatch.GetElapsedTime(started);
            if (wait <= TimeSpan.Zero) return;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(wait);
            try
            {
                await _inbox.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (batch.Count == 0) return; // idle: let the caller check the connection
            }
        }
    }

    /// <summary>Commits the batch, then PUBACKs it and queues its range Acks; false when the commit failed (nothing acknowledged).</summary>
    private async Task<bool> FlushAsync(List<Delivery> batch)
    {
        var frames = new List<ReceivedFrame>(batch.Count);
        var statuses = new List<StatusChange>();
        foreach (Delivery delivery in batch) _sorter.Sort(delivery.Topic, delivery.Payload, frames, statuses);
        if (!BatchCommit.TryCommit(_store, frames, Counters, out string failure) || !TryRecordStatuses(statuses, out failure))
        {
            // No PUBACK, no Ack: the broker delivers the batch again.
            _log.WriteLine($"edgelstm-collector: mqtt: {failure}; reconnecting unacknowledged so the broker delivers them again");
            batch.Clear();
            return false;
        }
        foreach (ReceivedFrame frame in frames)
        {
            if (frame.Frame.FrameType == FrameType.Hello) _sessions.Saw(frame.DeviceId, frame.Frame.Hello);
        }
        await AcknowledgeToBrokerAsync(batch).ConfigureAwait(false);
        batch.Clear();
        _pendingAcks.Add(frames);
        return true;
    }

    /// <summary>Publishes the range Acks of every frame committed since the last time.</summary>
    private async Task PublishPendingAcksAsync()
    {
        List<AckRange> ranges = _pendingAcks.Take();
        if (ranges.Count > 0) await PublishAcksAsync(ranges).ConfigureAwait(false);
    }

    /// <summary>Every <see cref="MqttIngestOptions.AckInterval"/> until <paramref name="stop"/>, the pending range Acks.</summary>
    private async Task PublishAcksEveryIntervalAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.AckInterval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the run's end publishes what is left
            }
            await PublishPendingAcksAsync().ConfigureAwait(false);
        }
    }

    private bool TryRecordStatuses(List<StatusChange> statuses, out string failure)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            foreach (StatusChange status in statuses)
            {
                _store.RecordStatus(status.Device, status.Online, now);
                _statusLog.Note(status.Device, status.Online);
            }
            failure = "";
            return true;
        }
#pragma warning disable CA1031 // a sink that fails is a store that fails: nothing acknowledged
        catch (Exception e)
#pragma warning restore CA1031
        {
            Counters.AddCommitFailure();
            failure = $"recording {statuses.Count} statuses failed ({e.GetType().Name}: {e.Message})";
            return false;
        }
    }

    /// <summary>PUBACKs the batch in arrival order, on the connection each message came over (a later connection's packet ids are not theirs).</summary>
    private async Task AcknowledgeToBrokerAsync(List<Delivery> batch)
    {
        int connection = Volatile.Read(ref _connection);
        foreach (Delivery delivery in batch)
        {
            if (delivery.Connection != connection || !_client.IsConnected) continue; // the broker delivers it again: stored as a duplicate
            try
            {
                using var timeout = new CancellationTokenSource(NetworkTimeout);
                await delivery.Args.AcknowledgeAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the connection went: the broker delivers the rest again
            catch (Exception)
#pragma warning restore CA1031
            {
                return;
            }
        }
    }

    private async Task PublishAcksAsync(List<AckRange> ranges)
    {
        if (ranges.Count == 0 || !_client.IsConnected) return;
        try
        {
            foreach (AckRange[] chunk in ranges.Chunk(_acksInFlight))
            {
                using var timeout = new CancellationTokenSource(NetworkTimeout);
                await Task.WhenAll(chunk.Select(range => PublishAckAsync(range, timeout.Token))).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // an Ack that did not leave: the board keeps the frames and sends them again, acknowledged then
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!_ackFailureLogged) _log.WriteLine($"edgelstm-collector: mqtt: publishing Acks failed ({e.Message}); the boards send those frames again (logged once)");
            _ackFailureLogged = true;
        }
    }

    private async Task PublishAckAsync(AckRange range, CancellationToken cancel)
    {
        var ack = new AckFrame { HighestSequence = range.Highest, SessionId = _sessions.Latest(range.Device), LowestSequence = range.Lowest };
        var payload = new ArrayBufferWriter<byte>(32);
        PayloadEncoder.Write(ack, payload);
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopic.Ack(range.Device))
            .WithPayload(payload.WrittenSpan.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.PublishAsync(message, cancel).ConfigureAwait(false);
        Counters.AddAck();
    }

    /// <summary>A message as received: its args (for the PUBACK after the commit), topic, payload and the connection it came over.</summary>
    private readonly record struct Delivery(MqttApplicationMessageReceivedEventArgs Args, string Topic, byte[] Payload, int Connection);
}
