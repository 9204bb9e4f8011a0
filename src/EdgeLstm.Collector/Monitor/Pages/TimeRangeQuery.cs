using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Monitor.Charts;
using EdgeLstm.Collector.Storage;
using Microsoft.AspNetCore.Http;

namespace EdgeLstm.Collector.Monitor.Pages;

/// <summary>A page's <c>?from=&amp;to=</c> (ISO-8601, UTC unless an offset is given), and the links that change it.</summary>
internal static class TimeRangeQuery
{
    /// <summary>The range in the query (no <c>from</c>: <see cref="DeviceCharts.RangeOrDefault"/>'s last day of the device's data); false when a value is not a time.</summary>
    public static bool TryRead(IQueryCollection query, IMonitorStore monitor, string deviceId, long nowUnixMs, out TimeRange range)
    {
        range = default;
        if (!Csv.TryParseTime(query["from"], out long? from) || !Csv.TryParseTime(query["to"], out long? to)) return false;
        range = DeviceCharts.RangeOrDefault(monitor, deviceId, from, to, nowUnixMs);
        return true;
    }

    /// <summary>The query string of a range (open ends left out).</summary>
    public static string Query(long? fromUnixMs, long? toUnixMs)
    {
        var parts = new List<string>();
        if (fromUnixMs is long from) parts.Add("from=" + Uri.EscapeDataString(Html.Time(from)));
        if (toUnixMs is long to) parts.Add("to=" + Uri.EscapeDataString(Html.Time(to)));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>The zoom links of a chart showing [from, to): the last hour/day/week up to now, all, half and twice as long, earlier and later.</summary>
    public static IEnumerable<(string Text, string Query)> Links(long from, long to, DateTimeOffset now)
    {
        long end = now.ToUnixTimeMilliseconds();
        long span = to - from;
        long middle = from + span / 2;
        yield return ("Last hour", Query(end - 3_600_000, null));
        yield return ("Last 6 h", Query(end - 6 * 3_600_000, null));
        yield return ("Last day", Query(end - 86_400_000, null));
        yield return ("Last week", Query(end - 7 * 86_400_000, null));
        yield return ("All", Query(0, null));
        yield return ("Zoom in", Query(middle - span / 4, middle + span / 4));
        yield return ("Zoom out", Query(middle - span, middle + span));
        yield return ("← Earlier", Query(from - span / 2, to - span / 2));
        yield return ("Later →", Query(from + span / 2, to + span / 2));
    }
}
