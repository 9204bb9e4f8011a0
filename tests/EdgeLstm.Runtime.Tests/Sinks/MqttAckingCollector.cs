using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>
/// A broker (MQTTnet's, in process, on a free loopback port) and a test collector subscribed to every board topic:
/// it records each frame by (device, sequence) and answers each with a range Ack on the board's Ack topic, as the real
/// collector does after its commit. It can stop acknowledging, withhold chosen sequences, and stop the broker. Given a
/// certificate, the broker also listens with TLS (SslStream) on <see cref="TlsPort"/>, requiring a client certificate
/// signed by <c>clientCa</c> when one is given.
/// </summary>
internal sealed class MqttAckingCollector : IDisposable
{
    private readonly X509Certificate2? _tlsCertificate;
    private readonly X509Certificate2Collection? _clientCa;
    private readonly ConcurrentDictionary<ulong, ReceivedMessage> _frames = new();
    private readonly ConcurrentDictionary<string, string> _status = new();
    private readonly ConcurrentDictionary<ulong, bool> _withheld = new();
    private MqttServer? _broker;
    private IMqttClient? _client;
    private long _messages;

    public MqttAckingCollector(X509Certificate2? tlsCertificate = null, X509Certificate2Collection? clientCa = null)
    {
        Port = FreePort();
        _tlsCertificate = tlsCertificate;
        _clientCa = clientCa;
        if (tlsCertificate is not null) TlsPort = FreePort();
        StartBroker();
    }

    public int Port { get; }

    /// <summary>The TLS listener's port (0 without a certificate).</summary>
    public int TlsPort { get; }

    public string Uri => $"mqtt://127.0.0.1:{Port}";

    /// <summary>False: frames are recorded but not acknowledged.</summary>
    public volatile bool Acking = true;

    /// <summary>Frames received, resends included.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Distinct frames received.</summary>
    public int Count => _frames.Count;

    /// <summary>Distinct frames by sequence.</summary>
    public SortedDictionary<ulong, ReceivedMessage> Frames() => new(_frames);

    /// <summary>The latest status message of a device (online/offline), or null.</summary>
    public string? Status(string deviceId) => _status.TryGetValue(deviceId, out string? status) ? status : null;

    /// <summary>Never acknowledges <paramref name="sequence"/> until <see cref="Release"/>.</summary>
    public void Withhold(ulong sequence) => _withheld[sequence] = true;

    /// <summary>Acknowledges a withheld sequence now and from now on.</summary>
    public void Release(string deviceId, ulong sequence)
    {
        _withheld.TryRemove(sequence, out _);
        Acknowledge(deviceId, sequence, sequence);
    }

    public void StartBroker()
    {
        MqttServerOptionsBuilder builder = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port).WithPersistentSessions();
        if (_tlsCertificate is not null)
        {
            builder = builder.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback).WithEncryptedEndpointPort(TlsPort)
                .WithEncryptionCertificate(_tlsCertificate);
            if (_clientCa is not null) builder = builder.WithClientCertificate((_, certificate, _, _) => SignedByClientCa(certificate));
        }
        MqttServerOptions options = builder.Build();
        _broker = new MqttServerFactory().CreateMqttServer(options);
        _broker.StartAsync().GetAwaiter().GetResult();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessage;
        client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("test-collector").Build()).GetAwaiter().GetResult();
        client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("edgelstm/+/+", MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        _client = client;
    }

    public void StopBroker()
    {
        _client?.Dispose();
        _client = null;
        _broker?.StopAsync().GetAwaiter().GetResult();
        _broker?.Dispose();
        _broker = null;
    }

    /// <summary>What a subscriber that comes now is handed on <paramref name="topic"/>: (retain flag, payload), or null within the timeout.</summary>
    public (bool Retained, byte[] Payload)? RetainedMessage(string topic, TimeSpan timeout)
    {
        using IMqttClient late = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<(bool, byte[])>();
        late.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult((e.ApplicationMessage.Retain, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        late.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithProtocolVersion(MqttProtocolVersion.V500).Build()).GetAwaiter().GetResult();
        late.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic).Build()).GetAwaiter().GetResult();
        return received.Task.Wait(timeout) ? received.Task.Result : null;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds.</summary>
    public bool WaitUntil(Func<MqttAckingCollector, bool> condition, TimeSpan timeout) => SpinWait.SpinUntil(() => condition(this), timeout);

    /// <summary>Publishes a message as if it came from the collector (garbage on an Ack topic, for instance).</summary>
    public void Publish(string topic, byte[] payload) =>
        _client!.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        MqttApplicationMessage message = e.ApplicationMessage;
        if (!MqttTopics.TryParse(message.Topic, out string device, out string kind) || kind == MqttTopics.Ack) return Task.CompletedTask;
        byte[] payload = message.Payload.ToArray();
        if (kind == MqttTopics.Status)
        {
            _status[device] = System.Text.Encoding.UTF8.GetString(payload);
            return Task.CompletedTask;
        }
        DecodeResult result = PayloadDecoder.Decode(payload);
        if (!result.IsFrame) return Task.CompletedTask;
        if (!StoredFrames.TryReadHeader(payload, out _, out ulong sequence)) return Task.CompletedTask;
        Interlocked.Increment(ref _messages);
        FrameFlags flags = result.FrameType switch
        {
            FrameType.Prediction => result.Prediction.Flags,
            FrameType.Alarm => result.Alarm.Flags,
            FrameType.Health => result.Health.Flags,
            _ => FrameFlags.None,
        };
        _frames[sequence] = new ReceivedMessage(kind, result.FrameType, flags, message.Retain, payload);
        if (Acking && !_withheld.ContainsKey(sequence)) Acknowledge(device, sequence, sequence);
        return Task.CompletedTask;
    }

    private void Acknowledge(string deviceId, ulong lowest, ulong highest)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        PayloadEncoder.Write(new AckFrame { HighestSequence = highest, LowestSequence = lowest }, buffer);
        // Not awaited: the receive handler must return for MQTTnet to read on.
        _ = _client?.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(MqttTopics.For(deviceId, MqttTopics.Ack)).WithPayload(buffer.WrittenSpan.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    private bool SignedByClientCa(X509Certificate? certificate)
    {
        if (certificate is not X509Certificate2 leaf) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => StopBroker();

    /// <summary>One frame as it arrived: its topic kind, type, flags, whether the broker was asked to retain it, its payload.</summary>
    internal sealed record ReceivedMessage(string Kind, FrameType Type, FrameFlags Flags, bool Retained, byte[] Payload);
}
