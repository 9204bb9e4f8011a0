namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>The status sink used until the store records device status: logs each change of a device's status (not repeats).</summary>
internal sealed class LoggedDeviceStatus(TextWriter log) : IDeviceStatusSink
{
    private readonly Dictionary<string, bool> _last = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void RecordStatus(string deviceId, bool online, long atUnixMs)
    {
        if (_last.TryGetValue(deviceId, out bool last) && last == online) return;
        _last[deviceId] = online;
        log.WriteLine($"edgelstm-collector: mqtt: {MqttMessageSorter.Printable(deviceId)} is {(online ? "online" : "offline")}");
    }
}
