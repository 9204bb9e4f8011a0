namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>
/// Where a board's <c>edgelstm/&lt;deviceId&gt;/status</c> changes go (<c>online</c> after it connects, <c>offline</c>
/// from its MQTT Will or a clean stop). The store implements this once it records device status; until then the
/// MQTT ingest only logs the changes.
/// </summary>
internal interface IDeviceStatusSink
{
    /// <summary>Records that <paramref name="deviceId"/> went online or offline at <paramref name="atUnixMs"/>.</summary>
    void RecordStatus(string deviceId, bool online, long atUnixMs);
}
