namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>Logs each change of a device's online/offline status (not repeats); the store keeps the status itself.</summary>
internal sealed class StatusChangeLog(TextWriter log)
{
    private readonly Dictionary<string, bool> _last = new(StringComparer.Ordinal);

    /// <summary>Logs that <paramref name="deviceId"/> went online or offline, unless that is what it was.</summary>
    public void Note(string deviceId, bool online)
    {
        if (_last.TryGetValue(deviceId, out bool last) && last == online) return;
        _last[deviceId] = online;
        log.WriteLine($"edgelstm-collector: mqtt: {MqttMessageSorter.Printable(deviceId)} is {(online ? "online" : "offline")}");
    }
}
