using System.Text;
using EdgeLstm.Collector.Monitor.Charts;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>
/// <c>/alarms</c>: every alarm of the fleet, newest first, one row per raise with its clear (or "open"), duration and
/// score, the operators' notes on it, and a form to acknowledge it with a note (POST <c>/alarms/notes</c>, stored in <c>alarm_notes</c>).
/// </summary>
internal static class AlarmsPage
{
    /// <summary>More rows than anyone reads; older alarms stay in the database and in <c>edgelstm-collector alarms</c>.</summary>
    public const int MaxRows = 500;

    /// <summary>The page; <paramref name="user"/> signs notes when users are configured, otherwise the form asks for a name.</summary>
    public static string Render(IFrameStore store, IMonitorStore monitor, DateTimeOffset now, string? user)
    {
        IReadOnlyList<AlarmRecord> alarms = store.Alarms(null, openOnly: false);
        ILookup<(string, ulong), AlarmNoteRecord> notes = monitor.AlarmNotes(null).ToLookup(n => (n.DeviceId, n.Sequence));
        var labels = new Dictionary<string, IReadOnlyList<string>>();
        var html = new StringBuilder();
        List<(AlarmRecord Raise, AlarmRecord? Clear)> rows = AlarmPairs.Pair(alarms).OrderByDescending(r => r.Raise.TimeUnixMs ?? 0).Take(MaxRows).ToList();
        html.Add($"<h1>Alarms</h1><p class=\"summary\">{rows.Count(r => r.Clear is null)} open · {rows.Count} shown, newest first</p>");
        html.Append("<table class=\"alarms\"><thead><tr><th>Device</th><th>Class</th><th>Raised (UTC)</th><th>Cleared (UTC)</th><th class=\"number\">Duration</th><th class=\"number\">Score</th><th>Acknowledgement</th></tr></thead><tbody>");
        foreach ((AlarmRecord raise, AlarmRecord? clear) in rows)
        {
            if (!labels.TryGetValue(raise.DeviceId, out IReadOnlyList<string>? deviceLabels)) labels[raise.DeviceId] = deviceLabels = store.OutputLabels(raise.DeviceId);
            long? duration = clear is not null ? clear.DurationMs : raise.TimeUnixMs is long t ? now.ToUnixTimeMilliseconds() - t : null;
            string cleared = clear is null ? "<span class=\"badge alarm\">open</span>" : Html.TimeElement(clear.TimeUnixMs);
            html.Add($"<tr class=\"alarm-row {(clear is null ? "open" : "cleared")}\" data-device=\"{Html.Encode(raise.DeviceId)}\" data-sequence=\"{raise.Sequence}\">");
            html.Add($"<td>{Html.DeviceLink(raise.DeviceId)}</td><td>{Html.Encode(DeviceTimelines.ClassName(raise.ClassIndex, deviceLabels))}</td><td>{Html.TimeElement(raise.TimeUnixMs)}</td><td>{cleared}</td>");
            html.Add($"<td class=\"number\">{(duration is long ms ? Html.Duration(ms) : "")}</td><td class=\"number\">{Html.Number(raise.Score)}</td><td>");
            foreach (AlarmNoteRecord note in notes[(raise.DeviceId, raise.Sequence)]) html.Append(NoteHtml(note));
            AppendForm(html, raise, user);
            html.Append("</td></tr>");
        }
        if (rows.Count == 0) html.Append("<tr><td colspan=\"7\" class=\"muted\">No alarms.</td></tr>");
        html.Append("</tbody></table>");
        return Layout.Render("Alarms", "Alarms", html.ToString(), user);
    }

    /// <summary>One stored note: what, who, when.</summary>
    public static string NoteHtml(AlarmNoteRecord note) =>
        $"<div class=\"note\"><span class=\"note-text\">{Html.Encode(note.Note)}</span> <span class=\"muted\">— {Html.Encode(note.Author)}, {Html.TimeElement(note.NotedUnixMs)}</span></div>";

    private static void AppendForm(StringBuilder html, AlarmRecord raise, string? user)
    {
        html.Add($"<form class=\"ack\" method=\"post\" action=\"/alarms/notes\"><input type=\"hidden\" name=\"device\" value=\"{Html.Encode(raise.DeviceId)}\"><input type=\"hidden\" name=\"sequence\" value=\"{raise.Sequence}\">");
        if (user is null) html.Append("<input name=\"author\" placeholder=\"Your name\" required maxlength=\"100\" size=\"10\">");
        html.Append("<input name=\"note\" placeholder=\"Note (e.g. checked the pump)\" required maxlength=\"1000\" size=\"28\"> <button type=\"submit\">Acknowledge</button></form>");
    }
}
