using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeLstm.Collector.Monitor.Charts;
using EdgeLstm.Collector.Monitor.Svg;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>
/// <c>/devices/{id}</c>: the anomaly score and class probabilities over the chosen time range with alarm periods
/// shaded (kept live through <c>/devices/{id}/events</c>), inference latency and read errors from Health, the
/// alarms with their board time, the updates pushed and the board's answers (Event frames), and the session history.
/// </summary>
internal static class DevicePage
{
    /// <summary>The page, or null when the store does not know the device.</summary>
    public static string? Render(IFrameStore store, IMonitorStore monitor, string deviceId, TimeRange range, DateTimeOffset now, string? user)
    {
        DeviceRecord? device = store.Devices().FirstOrDefault(d => d.DeviceId == deviceId);
        if (device is null) return null;
        IReadOnlyList<SessionRecord> sessions = monitor.Sessions(deviceId);
        IReadOnlyList<string> labels = store.OutputLabels(deviceId);
        DeviceChartSet charts = DeviceCharts.All(store, monitor, deviceId, range);
        Timeline outputs = charts.Outputs;

        var html = new StringBuilder();
        string status = device.Online switch { true => "<span class=\"badge ok\">online</span>", false => "<span class=\"badge offline\">offline</span>", null => "" };
        html.Add($"<h1 class=\"device-id\">{Html.Encode(deviceId)} {status}</h1>");
        html.Add($"<p class=\"summary\">Model {Html.Encode(device.ModelId)} · last seen {Html.TimeElement(device.LastSeenUnixMs)} · {device.Frames} frames · {device.OpenGaps} open gaps</p>");
        html.Add($"<nav class=\"range\"><span>{Html.TimeElement(outputs.FromUnixMs)} – {(range.ToUnixMs is null ? "now" : Html.TimeElement(outputs.ToUnixMs))}</span>");
        foreach ((string text, string query) in TimeRangeQuery.Links(outputs.FromUnixMs, outputs.ToUnixMs, now))
            html.Add($"<a href=\"/devices/{Html.Url(deviceId)}{Html.Encode(query)}\">{text}</a>");
        html.Append("</nav>");
        html.Add($"<section class=\"panel\"><div class=\"live\"><span id=\"point-count\">{charts.Predictions.Count}</span> predictions · <span id=\"live-status\" class=\"muted\">not live</span></div>");
        html.Add($"<div id=\"live-chart\">{TimelineSvg.Render(outputs, DeviceCharts.OutputSvgHeight)}</div></section>");
        html.Add($"<section class=\"panel\">{TimelineSvg.Render(charts.Latency, 180)}{TimelineSvg.Render(charts.ReadErrors, 180)}</section>");
        AppendAlarms(html, store.Alarms(deviceId, openOnly: false), monitor.AlarmNotes(deviceId), sessions, labels);
        AppendUpdates(html, store.Events(deviceId, default), store.Pushes(deviceId));
        AppendSessions(html, sessions);
        // Data for the script travels as JSON (JsonSerializer escapes '<'), never as script source.
        string eventsUrl = $"/devices/{Uri.EscapeDataString(deviceId)}/events{TimeRangeQuery.Query(range.FromUnixMs, range.ToUnixMs)}";
        html.Add($"<script type=\"application/json\" id=\"monitor-data\">{JsonSerializer.Serialize(new LiveSettings(eventsUrl), MonitorJson.Default.LiveSettings)}</script>");
        return Layout.Render(deviceId, "", html.ToString(), user);
    }

    private static void AppendAlarms(StringBuilder html, IReadOnlyList<AlarmRecord> alarms, IReadOnlyList<AlarmNoteRecord> notes, IReadOnlyList<SessionRecord> sessions, IReadOnlyList<string> labels)
    {
        html.Append("<h2>Alarms</h2><table class=\"alarms\"><thead><tr><th>Time (UTC)</th><th>Board time</th><th>Change</th><th>Class</th><th class=\"number\">Score</th><th class=\"number\">Duration</th><th>Notes</th></tr></thead><tbody>");
        foreach (AlarmRecord alarm in alarms.Reverse())
        {
            // Board time: since the epoch of the session the alarm belongs to.
            long? epoch = sessions.LastOrDefault(s => s.SessionId == alarm.SessionId)?.EpochUnixMs;
            string boardTime = alarm.TimeUnixMs is long t && epoch is long e ? $"{Html.Number((t - e) / 1000.0, "0.0")} s" : "";
            string change = alarm.Raised ? "<span class=\"badge alarm\">raised</span>" : "<span class=\"badge ok\">cleared</span>";
            string noted = string.Join("", notes.Where(n => n.Sequence == alarm.Sequence).Select(AlarmsPage.NoteHtml));
            html.Add($"<tr class=\"alarm-row\" data-sequence=\"{alarm.Sequence}\"><td>{Html.TimeElement(alarm.TimeUnixMs)}</td><td class=\"board-time\">{boardTime}</td><td>{change}</td>");
            html.Add($"<td>{Html.Encode(DeviceTimelines.ClassName(alarm.ClassIndex, labels))}</td><td class=\"number\">{Html.Number(alarm.Score)}</td><td class=\"number\">{(alarm.Raised ? "" : Html.Duration(alarm.DurationMs))}</td><td>{noted}</td></tr>");
        }
        if (alarms.Count == 0) html.Append("<tr><td colspan=\"7\" class=\"muted\">No alarms.</td></tr>");
        html.Append("</tbody></table>");
    }

    /// <summary>
    /// The board's Events and the collector's pushes in one table, newest first: what was sent (a push, from the
    /// collector) beside what the board answered (applied, refused, rolled back). An Event whose time is not known yet
    /// (its Hello has not arrived) sorts first.
    /// </summary>
    private static void AppendUpdates(StringBuilder html, IReadOnlyList<EventRecord> events, IReadOnlyList<PushRecord> pushes)
    {
        html.Append("<h2>Updates</h2><table class=\"updates\"><thead><tr><th>Time (UTC)</th><th>Event</th><th class=\"number\">Version</th><th>Model</th><th>Message</th></tr></thead><tbody>");
        var rows = new List<(long Time, ulong Order, string Html)>();
        foreach (EventRecord e in events)
        {
            rows.Add((e.TimeUnixMs ?? long.MaxValue, e.Sequence, string.Create(CultureInfo.InvariantCulture,
                $"<tr class=\"event\" data-sequence=\"{e.Sequence}\" data-kind=\"{e.Kind}\"><td>{Html.TimeElement(e.TimeUnixMs)}</td><td>{UpdateBadges.Event(e.Kind)}</td><td class=\"number\">{e.UpdateVersion}</td><td>{Html.Encode(e.ModelId)}</td><td class=\"message\">{Html.Encode(e.Message)}</td></tr>")));
        }
        foreach (PushRecord p in pushes)
        {
            string message = p.Kind == "thresholds" ? $"thresholds {p.Thresholds}; " : "";
            message += $"signed by key {p.KeyId[..Math.Min(16, p.KeyId.Length)]}…, expires {Html.Time(p.ExpiresUnixMs)}";
            rows.Add((p.IssuedUnixMs, 0, string.Create(CultureInfo.InvariantCulture,
                $"<tr class=\"push\"><td>{Html.TimeElement(p.IssuedUnixMs)}</td><td><span class=\"badge unknown\">pushed {Html.Encode(p.Kind)}</span></td><td class=\"number\">{p.UpdateVersion}</td><td>{Html.Encode(p.ModelId)}</td><td class=\"message\">{Html.Encode(message)}</td></tr>")));
        }
        foreach ((_, _, string row) in rows.OrderByDescending(r => r.Time).ThenByDescending(r => r.Order)) html.Append(row);
        if (rows.Count == 0) html.Append("<tr><td colspan=\"5\" class=\"muted\">No updates pushed or reported.</td></tr>");
        html.Append("</tbody></table>");
    }

    private static void AppendSessions(StringBuilder html, IReadOnlyList<SessionRecord> sessions)
    {
        html.Append("<h2>Sessions</h2><table class=\"sessions\"><thead><tr><th>Hello received (UTC)</th><th>Board epoch</th><th>Model</th><th>Firmware</th><th class=\"number\">Sample rate</th><th class=\"number\">Session</th></tr></thead><tbody>");
        foreach (SessionRecord s in sessions.Reverse())
        {
            html.Add($"<tr><td>{Html.TimeElement(s.ReceivedUnixMs)}</td><td>{Html.TimeElement(s.EpochUnixMs)}</td><td>{Html.Encode(s.ModelId)}</td><td>{Html.Encode(s.Firmware)}</td>");
            html.Add($"<td class=\"number\">{Html.Number(s.SampleRateHz)} Hz</td><td class=\"number\">{s.SessionId:x}</td></tr>");
        }
        html.Append("</tbody></table>");
    }
}
