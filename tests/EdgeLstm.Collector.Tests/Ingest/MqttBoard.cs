using System.Buffers;
using System.Collections.Concurrent;
using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.Collector.Tests.Ingest;

/// <summary>
/// A board as the MQTT ingest sees one: an MQTTnet client publishing real encoded frames to
/// <c>edgelstm/&lt;device&gt;/&lt;kind&gt;</c> at QoS 1 and collecting the range Acks on <c>edgelstm/&lt;device&gt;/ack</c>.
/// </summary>
internal sealed class MqttBoard : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<AckFrame> _acks = new();

    private MqttBoard(string device) => Device = device;

    /// <summary>The device id of its topics.</summary>
    public string Device { get; }

    /// <summary>Called on MQTTnet's thread as each Ack arrives, before it is collected.</summary>
    public Action<AckFrame>? OnAck { get; set; }

    /// <summary>The Acks received so far.</summary>
    public IReadOnlyList<AckFrame> Acks => [.. _acks];

    /// <summary>Connects to the broker on <paramref name="port"/> and subscribes to its Ack topic.</summary>
    public static MqttBoard Connect(int port, string device = "pump-07")
    {
        var board = new MqttBoard(device);
        board._client.ApplicationMessageReceivedAsync += args =>
        {
            DecodeResult result = PayloadDecoder.Decode(args.ApplicationMessage.Payload.ToArray());
            Assert.Equal(FrameType.Ack, result.FrameType);
            board.OnAck?.Invoke(result.Ack);
            board._acks.Enqueue(result.Ack);
            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"board-{device}-{Guid.NewGuid():N}")
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        board._client.ConnectAsync(options).GetAwaiter().GetResult();
        board._client.SubscribeAsync($"edgelstm/{device}/ack", MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
        return board;
    }

    /// <summary>Publishes each frame on its kind's topic, at QoS 1 (each waits for the broker's PUBACK).</summary>
    public void Publish(params IWireFrame[] frames)
    {
        foreach (IWireFrame frame in frames)
        {
            var payload = new ArrayBufferWriter<byte>();
            PayloadEncoder.Write(frame, payload); // boxed: fine in a test
            PublishRaw($"edgelstm/{Device}/{Kind(frame.Type)}", payload.WrittenSpan.ToArray());
        }
    }

    /// <summary>Publishes raw bytes to any topic at QoS 1.</summary>
    public void PublishRaw(string topic, byte[] payload, bool retain = false)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        _client.PublishAsync(message).GetAwaiter().GetResult();
    }

    /// <summary>Waits until the Acks received cover every one of <paramref name="sequences"/>; fails after <paramref name="patience"/>.</summary>
    public void WaitForAcksCovering(IEnumerable<ulong> sequences, TimeSpan patience)
    {
        ulong[] wanted = [.. sequences];
        var deadline = DateTime.UtcNow + patience;
        while (!wanted.All(Covered))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Acks received: {string.Join(" ", Acks.Select(a => $"[{a.LowestSequence},{a.HighestSequence}]"))}; still not acknowledged: {string.Join(" ", wanted.Where(s => !Covered(s)).Take(20))}");
            Thread.Sleep(20);
        }
    }

    private bool Covered(ulong sequence) => _acks.Any(a => a.LowestSequence <= sequence && sequence <= a.HighestSequence);

    private static string Kind(FrameType type) => type switch
    {
        FrameType.Hello => "hello",
        FrameType.Prediction => "prediction",
        FrameType.Alarm => "alarm",
        FrameType.Health => "health",
        FrameType.Event => "event",
        _ => throw new ArgumentException($"boards do not publish {type}", nameof(type)),
    };

    public void Dispose()
    {
        if (_client.IsConnected) _client.DisconnectAsync().GetAwaiter().GetResult();
        _client.Dispose();
    }
}
