using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>What a board publishes on a topic <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c>.</summary>
internal enum MqttTopicKind
{
    /// <summary>Not a topic of the contract (or a device id that is not acceptable).</summary>
    Invalid,

    /// <summary>One frame (Hello, Prediction, Alarm, Health or Event): the bare MessagePack payload.</summary>
    Frame,

    /// <summary>UTF-8 text <c>online</c> or <c>offline</c>.</summary>
    Status,
}

/// <summary>
/// The collector's side of the MQTT topic contract (names in <see cref="MqttTopics"/>, shared with the board): the
/// shared subscriptions, and the parsing of a received topic as untrusted text.
/// </summary>
internal static class MqttTopic
{
    /// <summary>The shared-subscription group every collector joins: the broker gives each message to one of them.</summary>
    public const string ShareGroup = "edgelstm";

    /// <summary>The last topic levels a board publishes to: five frame kinds and its status (never <c>ack</c> or <c>cmd</c>, which go to boards).</summary>
    public static readonly IReadOnlyList<string> SubscribedKinds = [MqttTopics.Hello, MqttTopics.Prediction, MqttTopics.Alarm, MqttTopics.Health, MqttTopics.Event, MqttTopics.Status];

    /// <summary>
    /// The topic filters the collector subscribes to: one per kind, not <c>edgelstm/+/+</c>, so a collector never
    /// receives the Acks it and its peers publish on <c>edgelstm/&lt;deviceId&gt;/ack</c>. With
    /// <paramref name="shared"/>, each is a shared subscription in <see cref="ShareGroup"/>.
    /// </summary>
    public static IEnumerable<string> Filters(bool shared) =>
        SubscribedKinds.Select(kind => shared ? $"$share/{ShareGroup}/{MqttTopics.Root}/+/{kind}" : $"{MqttTopics.Root}/+/{kind}");

    /// <summary>Where the collector publishes a device's range Acks.</summary>
    public static string Ack(string deviceId) => MqttTopics.For(deviceId, MqttTopics.Ack);

    /// <summary>Reads a received topic: its kind, and the device id of its second level when that is acceptable.</summary>
    /// <param name="topic">The topic as the broker delivered it (untrusted).</param>
    /// <param name="deviceId">The device id (second level), also when it was refused (for the log), else empty.</param>
    public static MqttTopicKind Parse(string topic, out string deviceId)
    {
        if (!MqttTopics.TryParse(topic, out deviceId, out string kind)) return MqttTopicKind.Invalid;
        if (!IsAcceptableDeviceId(deviceId)) return MqttTopicKind.Invalid;
        if (kind == MqttTopics.Status) return MqttTopicKind.Status;
        return MqttTopics.FrameTypeOf(kind) is { } type && type != FrameType.Ack ? MqttTopicKind.Frame : MqttTopicKind.Invalid;
    }

    /// <summary>A device id a topic may carry (<see cref="MqttTopics.DeviceIdProblem"/> finds nothing wrong).</summary>
    public static bool IsAcceptableDeviceId(string deviceId) => MqttTopics.DeviceIdProblem(deviceId) is null;
}
