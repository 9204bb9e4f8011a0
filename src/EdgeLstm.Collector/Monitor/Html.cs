using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeLstm.Collector.Monitor;

/// <summary>
/// Building HTML without Razor: every string that may come from a board (device ids, labels, model ids, channel
/// names) goes through <see cref="Encode"/>, and every URL built from one through <see cref="Url"/>.
/// </summary>
internal static class Html
{
    /// <summary>Text or attribute content, HTML-encoded (<c>&lt; &gt; &amp; " '</c>).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A path segment or query value, URL-encoded, then HTML-encoded for an attribute.</summary>
    public static string Url(string value) => Encode(Uri.EscapeDataString(value));

    /// <summary>The link to a device's page.</summary>
    public static string DeviceLink(string deviceId) => $"<a href=\"/devices/{Url(deviceId)}\">{Encode(deviceId)}</a>";

    /// <summary>A Unix-ms time as ISO-8601 UTC with milliseconds, as the CSV commands print it.</summary>
    public static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A <c>&lt;time&gt;</c> element: the ISO text, with the Unix ms in <c>data-unix-ms</c> for scripts and tests.</summary>
    public static string TimeElement(long? unixMs) => unixMs is long ms
        ? $"<time datetime=\"{Time(ms)}\" data-unix-ms=\"{ms.ToString(CultureInfo.InvariantCulture)}\">{Time(ms)}</time>"
        : "<span class=\"muted\">unknown</span>";

    /// <summary>A duration in the unit that reads best (ms, s, min, h).</summary>
    public static string Duration(long ms) => ms switch
    {
        < 1000 => $"{ms} ms",
        < 120_000 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:0.#} s"),
        < 7_200_000 => string.Create(CultureInfo.InvariantCulture, $"{ms / 60_000.0:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000.0:0.#} h"),
    };

    /// <summary>A number in the invariant culture.</summary>
    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Appends an interpolated string in the invariant culture.</summary>
    public static StringBuilder Add(this StringBuilder html, FormattableString text) => html.Append(text.ToString(CultureInfo.InvariantCulture));
}
