namespace EdgeLstm.LoadTest.Measurement;

/// <summary>A load run's results, as printed and as <c>--json</c> writes them.</summary>
/// <param name="Boards">Boards asked for.</param>
/// <param name="BoardsConnected">Boards that connected and sent their Hello.</param>
/// <param name="RateHz">Predictions per second per board asked for.</param>
/// <param name="ConnectSeconds">How long bringing the fleet up took.</param>
/// <param name="PublishSeconds">The publishing window's length, measured.</param>
/// <param name="DrainSeconds">How long, after it, the last Acks took (up to the drain timeout).</param>
/// <param name="FramesSent">Frames handed to the MQTT clients (Hello, Prediction, Health, Alarm).</param>
/// <param name="Hellos">Hello frames among them.</param>
/// <param name="Predictions">Prediction frames among them.</param>
/// <param name="Health">Health frames among them.</param>
/// <param name="Alarms">Alarm frames among them.</param>
/// <param name="FramesAcknowledged">Frames a collector's range Ack covered.</param>
/// <param name="FramesLost">Frames sent that no Ack covered by the end of the drain (must be 0).</param>
/// <param name="PublishFailures">Publishes that failed at the MQTT level.</param>
/// <param name="TicksSkipped">Board ticks with the connection down (nothing sent).</param>
/// <param name="AckMessages">Ack messages received (each covers a range).</param>
/// <param name="SentPerSecond">Frames sent per second over the publishing window.</param>
/// <param name="AcknowledgedPerSecondInWindow">Frames acknowledged per second over the publishing window: what the collectors kept up with.</param>
/// <param name="MaxBacklog">The most frames sent and not yet acknowledged at any once-a-second sample.</param>
/// <param name="LatencyP50Ms">Publish → covering Ack received, median, in milliseconds.</param>
/// <param name="LatencyP99Ms">The same, 99th percentile.</param>
/// <param name="LatencyMaxMs">The same, the largest.</param>
/// <param name="Processes">CPU and memory of the watched processes over the publishing window.</param>
/// <param name="FirstUnacknowledged">Up to 10 lost frames as <c>device#sequence</c>, to look up.</param>
internal sealed record LoadReport(
    int Boards, int BoardsConnected, double RateHz, double ConnectSeconds, double PublishSeconds, double DrainSeconds,
    long FramesSent, long Hellos, long Predictions, long Health, long Alarms, long FramesAcknowledged, long FramesLost,
    long PublishFailures, long TicksSkipped, long AckMessages, double SentPerSecond, double AcknowledgedPerSecondInWindow, long MaxBacklog,
    double LatencyP50Ms, double LatencyP99Ms, double LatencyMaxMs, IReadOnlyList<ProcessUsage> Processes, IReadOnlyList<string> FirstUnacknowledged)
{
    /// <summary>The report as a few human-readable lines.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"boards: {BoardsConnected} of {Boards} connected in {ConnectSeconds:F1} s; {RateHz} Hz for {PublishSeconds:F1} s; drain {DrainSeconds:F1} s";
        yield return $"frames sent: {FramesSent} (hello {Hellos}, prediction {Predictions}, health {Health}, alarm {Alarms}); {SentPerSecond:F0} frames/s";
        yield return $"frames acknowledged: {FramesAcknowledged} ({AcknowledgedPerSecondInWindow:F0} frames/s during the window, {AckMessages} Ack messages); max backlog {MaxBacklog}";
        yield return $"frames lost: {FramesLost}; publish failures {PublishFailures}; ticks skipped {TicksSkipped}";
        yield return $"latency publish -> Ack: p50 {LatencyP50Ms:F1} ms, p99 {LatencyP99Ms:F1} ms, max {LatencyMaxMs:F1} ms";
        foreach (ProcessUsage p in Processes) yield return $"process {p.Name} ({p.Pid}): {p.CpuPercent:F1} % CPU ({p.CpuSeconds:F1} s), RSS peak {p.PeakRssMiB:F0} MiB, end {p.EndRssMiB:F0} MiB";
        if (FirstUnacknowledged.Count > 0) yield return $"first unacknowledged: {string.Join(' ', FirstUnacknowledged)}";
    }
}
