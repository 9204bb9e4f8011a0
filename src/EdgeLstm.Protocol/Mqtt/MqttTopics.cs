using System.Text;

namespace EdgeLstm.Protocol;

/// <summary>
/// The MQTT binding's topic names (docs/protocol.md § MQTT), shared by the board's sink and the collector's ingest so
/// the two cannot drift apart: <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c>, one frame payload per message.
/// </summary>
public static class MqttTopics
{
    /// <summary>The first topic level of every EdgeLstm topic.</summary>
    public const string Root = "edgelstm";

    /// <summary>The kind of the topic a board's Hello goes to (QoS 1, retained: the birth message).</summary>
    public const string Hello = "hello";

    /// <summary>The kind of the topic a board's Predictions go to.</summary>
    public const string Prediction = "prediction";

    /// <summary>The kind of the topic a board's Alarms go to.</summary>
    public const string Alarm = "alarm";

    /// <summary>The kind of the topic a board's Health frames go to.</summary>
    public const string Health = "health";

    /// <summary>The kind of the topic a board's Events go to (updates applied, refused, rolled back).</summary>
    public const string Event = "event";

    /// <summary>The kind of the topic signed update commands go to (collector or operator → board); never a frame.</summary>
    public const string Command = "cmd";

    /// <summary>The kind of the topic a collector's range Acks go to (collector → board).</summary>
    public const string Ack = "ack";

    /// <summary>The kind of the topic of a board's <see cref="Online"/>/<see cref="Offline"/> state (retained; Offline is the board's Will).</summary>
    public const string Status = "status";

    /// <summary>The payload of the status topic while the board is connected.</summary>
    public const string Online = "online";

    /// <summary>The payload of the status topic once the board is gone (its Will, or its own word on a clean stop).</summary>
    public const string Offline = "offline";

    /// <summary>The longest device id, in UTF-8 bytes, that goes into a topic.</summary>
    public const int MaxDeviceIdBytes = 128;

    /// <summary>The topic kind of a frame type, or null for a type that has none.</summary>
    public static string? KindOf(FrameType type) => type switch
    {
        FrameType.Hello => Hello,
        FrameType.Prediction => Prediction,
        FrameType.Alarm => Alarm,
        FrameType.Health => Health,
        FrameType.Ack => Ack,
        FrameType.Event => Event,
        _ => null,
    };

    /// <summary>The frame type a topic kind carries, or null for a kind that carries no frame (status) or is unknown.</summary>
    public static FrameType? FrameTypeOf(string kind) => kind switch
    {
        Hello => FrameType.Hello,
        Prediction => FrameType.Prediction,
        Alarm => FrameType.Alarm,
        Health => FrameType.Health,
        Ack => FrameType.Ack,
        Event => FrameType.Event,
        _ => null,
    };

    /// <summary>The topic <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c>.</summary>
    public static string For(string deviceId, string kind) => $"{Root}/{deviceId}/{kind}";

    /// <summary>Splits <c>edgelstm/&lt;deviceId&gt;/&lt;kind&gt;</c> (exactly three levels); false for any other shape. The device id is not checked here (<see cref="DeviceIdProblem"/>).</summary>
    public static bool TryParse(string topic, out string deviceId, out string kind)
    {
        ArgumentNullException.ThrowIfNull(topic);
        deviceId = kind = "";
        int first = topic.IndexOf('/', StringComparison.Ordinal);
        int last = topic.LastIndexOf('/');
        // Exactly three levels: a device id never holds a '/'.
        if (first < 0 || last <= first || topic.IndexOf('/', first + 1) != last || !topic.AsSpan(0, first).SequenceEqual(Root)) return false;
        deviceId = topic[(first + 1)..last];
        kind = topic[(last + 1)..];
        return true;
    }

    /// <summary>
    /// Why <paramref name="deviceId"/> cannot be a topic level (empty, longer than <see cref="MaxDeviceIdBytes"/>, a
    /// topic separator or wildcard, a control character), or null when it can.
    /// </summary>
    public static string? DeviceIdProblem(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (deviceId.Length == 0) return "the device id is empty";
        int bytes = Encoding.UTF8.GetByteCount(deviceId);
        if (bytes > MaxDeviceIdBytes) return $"the device id is {bytes} bytes long, over the {MaxDeviceIdBytes} an MQTT topic level may take here";
        foreach (char c in deviceId)
        {
            if (c is '/' or '+' or '#') return $"the device id contains '{c}', which MQTT topics reserve";
            if (char.IsControl(c)) return "the device id contains a control character";
        }
        return null;
    }
}
