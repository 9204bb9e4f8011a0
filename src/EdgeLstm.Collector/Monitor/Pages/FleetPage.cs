using System.Text;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>
/// <c>/</c>: every device with its status, last contact, model (flagged when its last update was refused or rolled
/// back), open alarms, health warnings and gaps, worst first (open alarms, then offline, then a failed update, then
/// warnings); a column header sorts by that column (again: the other way).
/// </summary>
internal static class FleetPage
{
    /// <summary>The sortable columns: query value, header text, and the key.</summary>
    private static readonly (string Key, string Header, Func<FleetRow, IComparable> By)[] Columns =
    [
        ("device", "Device", r => r.Device.DeviceId),
        ("status", "Status", r => r.Device.Online switch { true => 0, null => 1, false => 2 }),
        ("seen", "Last seen", r => r.Device.LastSeenUnixMs),
        ("model", "Model", r => r.Device.ModelId ?? ""),
        ("alarms", "Open alarms", r => r.OpenAlarms),
        ("warnings", "Health", r => r.Warnings.Count),
        ("gaps", "Open gaps", r => r.Device.OpenGaps),
    ];

    /// <summary>The rows worst first: open alarms, then offline, then a last update refused or rolled back, then warnings, then by id.</summary>
    public static IEnumerable<FleetRow> WorstFirst(IEnumerable<FleetRow> rows) => rows
        .OrderByDescending(r => r.OpenAlarms).ThenByDescending(r => r.Offline).ThenByDescending(r => r.UpdateFailed).ThenByDescending(r => r.Warnings.Count)
        .ThenByDescending(r => r.Device.OpenGaps).ThenBy(r => r.Device.DeviceId, StringComparer.Ordinal);

    /// <summary>Reads the fleet and renders the page, sorted by <paramref name="sort"/> (null: worst first).</summary>
    public static string Render(IFrameStore store, IMonitorStore monitor, string? sort, bool descending, string? user)
    {
        Dictionary<string, int> open = store.Alarms(null, openOnly: true).GroupBy(a => a.DeviceId).ToDictionary(g => g.Key, g => g.Count());
        Dictionary<string, EventRecord> latestEvents = monitor.LatestEvents().ToDictionary(e => e.DeviceId, StringComparer.Ordinal);
        List<FleetRow> rows = store.Devices().Select(d => FleetRow.Read(d, open.GetValueOrDefault(d.DeviceId), monitor, latestEvents.GetValueOrDefault(d.DeviceId))).ToList();
        Func<FleetRow, IComparable>? by = Columns.Where(c => c.Key == sort).Select(c => c.By).FirstOrDefault();
        IEnumerable<FleetRow> ordered = by is null ? WorstFirst(rows) : descending ? rows.OrderByDescending(by) : rows.OrderBy(by);

        var html = new StringBuilder();
        html.Add($"<h1>Fleet</h1><p class=\"summary\">{rows.Count} devices · {rows.Count(r => r.OpenAlarms > 0)} with open alarms · {rows.Count(r => r.Offline)} offline · {rows.Count(r => r.Warnings.Count > 0)} with health warnings</p>");
        html.Append("<table class=\"fleet\"><thead><tr>");
        foreach ((string key, string header, _) in Columns)
        {
            bool current = key == sort;
            string arrow = current ? descending ? " ▼" : " ▲" : "";
            html.Add($"<th><a href=\"/?sort={key}{(current && !descending ? "&amp;desc=1" : "")}\">{header}{arrow}</a></th>");
        }
        html.Append("<th>Inference p99</th><th>CPU</th></tr></thead><tbody>");
        foreach (FleetRow row in ordered) AppendRow(html, row);
        if (rows.Count == 0) html.Append("<tr><td colspan=\"9\" class=\"muted\">No device has sent anything yet.</td></tr>");
        html.Append("</tbody></table>");
        return Layout.Render("Fleet", "Fleet", html.ToString(), user);
    }

    private static void AppendRow(StringBuilder html, FleetRow row)
    {
        DeviceRecord d = row.Device;
        string rowClass = row.OpenAlarms > 0 ? "alarm" : row.Offline ? "offline" : row.Warnings.Count > 0 || row.UpdateFailed ? "warning" : "ok";
        string status = d.Online switch
        {
            true => "<span class=\"badge ok\">online</span>",
            false => "<span class=\"badge offline\">offline</span>",
            null => "<span class=\"badge unknown\">no status</span>",
        };
        string alarms = row.OpenAlarms > 0 ? $"<span class=\"badge alarm\">{row.OpenAlarms} open</span>" : "<span class=\"muted\">none</span>";
        string warnings = row.Warnings.Count > 0 ? string.Join("", row.Warnings.Select(w => $"<span class=\"badge warning\">{Html.Encode(w)}</span>"))
            : row.Health is null ? "<span class=\"muted\">no Health yet</span>" : "<span class=\"muted\">ok</span>";
        string p99 = row.Health is null ? "" : Html.Duration(row.Health.InferenceP99Us / 1000);
        string cpu = row.Health?.CpuTemperatureMilliCelsius is long mc ? $"{Html.Number(mc / 1000.0, "0.0")} °C" : "";
        html.Add($"<tr class=\"{rowClass}\" data-device=\"{Html.Encode(d.DeviceId)}\"><td>{Html.DeviceLink(d.DeviceId)}</td><td>{status}</td><td>{Html.TimeElement(d.LastSeenUnixMs)}</td>");
        // The model its latest Hello names, and a flag when the last update it reported did not take.
        string update = row.UpdateFailed && row.LatestEvent is { } e
            ? $" <span class=\"badge warning update-failed\" title=\"{Html.Encode(e.Message)}\">update {UpdateBadges.Words(e.Kind)}</span>"
            : "";
        html.Add($"<td>{Html.Encode(d.ModelId)}{update}</td><td>{alarms}</td><td>{warnings}</td><td class=\"number\">{d.OpenGaps}</td><td class=\"number\">{p99}</td><td class=\"number\">{cpu}</td></tr>");
    }
}
