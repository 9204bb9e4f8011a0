using System.Globalization;

namespace EdgeLstm.Collector.Cli;

/// <summary>CSV and time text in the invariant culture: ISO-8601 UTC timestamps, fields quoted when they need it.</summary>
internal static class Csv
{
    /// <summary>Unix ms as <c>2026-11-28T06:00:00.000Z</c>; empty when unknown.</summary>
    public static string Time(long? unixMs) => unixMs is long ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : "";

    /// <summary>A number in the invariant culture, round-trippable.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An integer in the invariant culture.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An unsigned integer in the invariant culture.</summary>
    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A field, quoted (RFC 4180) when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) => value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Writes one row.</summary>
    public static void Row(TextWriter output, IEnumerable<string> fields) => output.Write(string.Join(',', fields) + "\n");

    /// <summary>Parses an ISO-8601 time (a UTC offset or Z; without one, UTC) into Unix ms.</summary>
    public static bool TryParseTime(string? text, out long? unixMs)
    {
        unixMs = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)) return false;
        unixMs = time.ToUnixTimeMilliseconds();
        return true;
    }
}
