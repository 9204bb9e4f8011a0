using System.Text.Json;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>
/// One device on the fleet page: what the store knows of it, its open alarms, the warnings of its latest Health, and
/// its latest Event (the outcome of its last update; null when it never reported one).
/// </summary>
internal sealed record FleetRow(DeviceRecord Device, int OpenAlarms, IReadOnlyList<string> Warnings, HealthRecord? Health, EventRecord? LatestEvent = null)
{
    /// <summary>Whether the board's last update was refused or rolled back: it does not run what was sent to it.</summary>
    public bool UpdateFailed => LatestEvent is { } e && UpdateBadges.Failed(e.Kind);

    /// <summary>A CPU this hot is worth a look.</summary>
    public const long HotCpuMilliCelsius = 80_000;

    /// <summary>Known offline (a last will or a clean stop); a device that never reported a status is not.</summary>
    public bool Offline => Device.Online == false;

    /// <summary>Reads a device's row from the stores.</summary>
    public static FleetRow Read(DeviceRecord device, int openAlarms, IMonitorStore monitor, EventRecord? latestEvent = null)
    {
        HealthRecord? health = monitor.LatestHealth(device.DeviceId);
        IReadOnlyList<SessionRecord> sessions = monitor.Sessions(device.DeviceId);
        double? sampleRate = sessions.Count > 0 ? sessions[^1].SampleRateHz : null;
        return new FleetRow(device, openAlarms, health is null ? [] : Warn(health, sampleRate), health, latestEvent);
    }

    /// <summary>What in a Health frame needs attention, in words.</summary>
    public static IReadOnlyList<string> Warn(HealthRecord health, double? sampleRateHz)
    {
        var warnings = new List<string>();
        long readErrors = Sum(health.ChannelReadErrors);
        if (readErrors > 0) warnings.Add($"{readErrors} read errors");
        if (health.Overruns > 0) warnings.Add($"{health.Overruns} overruns");
        if (health.JournalEvictions > 0) warnings.Add($"{health.JournalEvictions} journal evictions");
        if (health.JournalBacklog > 0) warnings.Add($"journal backlog {health.JournalBacklog}");
        if (health.CpuTemperatureMilliCelsius is long mc && mc >= HotCpuMilliCelsius) warnings.Add($"CPU {Html.Number(mc / 1000.0, "0.0")} °C");
        // Inference slower than a sample period cannot keep up with the sampler.
        if (sampleRateHz is > 0 && health.InferenceP99Us > 1_000_000 / sampleRateHz.Value)
            warnings.Add($"inference p99 {Html.Duration(health.InferenceP99Us / 1000)} > sample period");
        return warnings;
    }

    private static long Sum(string jsonCounts) => (JsonSerializer.Deserialize(jsonCounts, CollectorJson.Default.UInt32Array) ?? []).Sum(c => (long)c);
}
