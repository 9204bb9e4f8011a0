using System.Text;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>What a board publishes on a topic <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c>.</summary>
internal enum MqttTopicKind
{
    /// <summary>Not a topic of the contract (or a device id that is not acceptable).</summary>
    Invalid,

    /// <summary>One frame (Hello, Prediction, Alarm or Health): the bare MessagePack payload.</summary>
    Frame,

    /// <summary>UTF-8 text <c>online</c> or <c>offline</c>.</summary>
    Status,
}

/// <summary>
/// The MQTT topic contract between boards and the collector (docs/collector.md, MQTT ingest): the frame kinds a board
/// publishes, their shared subscriptions, the Ack topic, and the parsing of a received topic as untrusted text.
/// </summary>
internal static class MqttTopic
{
    /// <summary>The first topic level of everything EdgeLstm publishes.</summary>
    public const string Root = "edgelstm";

    /// <summary>The shared-subscription group every collector joins: the broker gives each message to one of them.</summary>
    public const string ShareGroup = "edgelstm";

    /// <summary>A device id longer than this many UTF-8 bytes is refused.</summary>
    public const int MaxDeviceIdBytes = 128;

    /// <summary>The last topic levels a board publishes to: four frame kinds and its status.</summary>
    public static readonly IReadOnlyList<string> SubscribedKinds = ["hello", "prediction", "alarm", "health", "status"];

    /// <summary>
    /// The topic filters the collector subscribes to: one per kind, not <c>edgelstm/+/+</c>, so a collector never
    /// receives the Acks it and its peers publish on <c>edgelstm/&lt;deviceId&gt;/ack</c>. With
    /// <paramref name="shared"/>, each is a shared subscription in <see cref="ShareGroup"/>.
    /// </summary>
    public static IEnumerable<string> Filters(bool shared) =>
        SubscribedKinds.Select(kind => shared ? $"$share/{ShareGroup}/{Root}/+/{kind}" : $"{Root}/+/{kind}");

    /// <summary>Where the collector publishes a device's range Acks.</summary>
    public static string Ack(string deviceId) => $"{Root}/{deviceId}/ack";

    /// <summary>Reads a received topic: its kind, and the device id of its second level when that is acceptable.</summary>
    /// <param name="topic">The topic as the broker delivered it (untrusted).</param>
    /// <param name="deviceId">The device id (second level), also when it was refused (for the log), else empty.</param>
    public static MqttTopicKind Parse(string topic, out string deviceId)
    {
        deviceId = "";
        string[] levels = topic.Split('/');
        if (levels.Length != 3 || levels[0] != Root) return MqttTopicKind.Invalid;
        deviceId = levels[1];
        if (!IsAcceptableDeviceId(deviceId)) return MqttTopicKind.Invalid;
        return levels[2] switch
        {
            "hello" or "prediction" or "alarm" or "health" => MqttTopicKind.Frame,
            "status" => MqttTopicKind.Status,
            _ => MqttTopicKind.Invalid,
        };
    }

    /// <summary>Not empty, at most <see cref="MaxDeviceIdBytes"/> UTF-8 bytes, no control characters.</summary>
    public static bool IsAcceptableDeviceId(string deviceId) =>
        deviceId.Length > 0
        && Encoding.UTF8.GetByteCount(deviceId) <= MaxDeviceIdBytes
        && !deviceId.Any(char.IsControl);
}
