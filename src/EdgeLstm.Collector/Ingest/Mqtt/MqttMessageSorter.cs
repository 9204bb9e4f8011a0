using System.Text;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>A board's status message: <paramref name="Device"/> went online or offline.</summary>
internal readonly record struct StatusChange(string Device, bool Online);

/// <summary>
/// Reads each received MQTT message as untrusted input: its topic (<see cref="MqttTopic"/>) and payload become a
/// frame to store or a status to record; anything else is counted and logged once per device, never fatal.
/// </summary>
internal sealed class MqttMessageSorter(IngestCounters counters, TextWriter log)
{
    private const int MaxLoggedChars = 160;

    private readonly OncePerKey _loggedBadTopic = new();
    private readonly OncePerKey _loggedDecodeError = new();
    private readonly OncePerKey _loggedForeignHello = new();

    /// <summary>Adds the message to <paramref name="frames"/> or <paramref name="statuses"/>, or counts why it is neither.</summary>
    public void Sort(string topic, byte[] payload, List<ReceivedFrame> frames, List<StatusChange> statuses)
    {
        counters.AddMessage();
        MqttTopicKind kind = MqttTopic.Parse(topic, out string device);
        if (kind == MqttTopicKind.Invalid)
        {
            counters.AddBadTopic();
            if (_loggedBadTopic.First(device)) log.WriteLine($"edgelstm-collector: mqtt: ignored a message on '{Printable(topic)}': not edgelstm/<deviceId>/<kind> with a device id of 1…{MqttTopics.MaxDeviceIdBytes} UTF-8 bytes without control characters, topic separators or wildcards (logged once per device)");
            return;
        }
        if (kind == MqttTopicKind.Status)
        {
            string text = Encoding.UTF8.GetString(payload);
            if (text is "online" or "offline") statuses.Add(new StatusChange(device, text == "online"));
            else DecodeError(device, $"status '{Printable(text)}' is neither online nor offline");
            return;
        }
        DecodeResult result = PayloadDecoder.Decode(payload);
        if (result.Status == DecodeStatus.Malformed)
        {
            DecodeError(device, result.Error.ToString());
            return;
        }
        if (!result.IsFrame || !FrameSequence.IsStored(result.FrameType))
        {
            counters.AddSkipped();
            return;
        }
        if (result.FrameType == FrameType.Hello && result.Hello.DeviceId != device && _loggedForeignHello.First(device))
        {
            // The broker's ACL binds a client to its topics, so the topic is the authority.
            log.WriteLine($"edgelstm-collector: mqtt: {Printable(device)}: a Hello names device '{Printable(result.Hello.DeviceId)}'; stored under the topic's id (logged once per device)");
        }
        // Session 0 = unknown: the store takes the session of the frame's governing Hello.
        frames.Add(new ReceivedFrame(device, 0, result));
    }

    private void DecodeError(string device, string problem)
    {
        counters.AddDecodeError();
        if (_loggedDecodeError.First(device)) log.WriteLine($"edgelstm-collector: mqtt: {Printable(device)}: {problem} (further errors of this device are counted, not logged)");
    }

    /// <summary>Untrusted text made safe for one log line: control characters escaped, at most <see cref="MaxLoggedChars"/> characters.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLoggedChars));
        foreach (char c in text)
        {
            if (builder.Length >= MaxLoggedChars)
            {
                builder.Append('…');
                break;
            }
            if (char.IsControl(c)) builder.Append($"\\u{(int)c:x4}");
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
