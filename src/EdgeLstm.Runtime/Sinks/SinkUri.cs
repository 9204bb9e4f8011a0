using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// <c>edgelstm run --sink URI</c>: a sink named on the command line, turned into the board file's own sink object so it
/// is validated like one written there. Forms: <c>stdout</c>, <c>null</c>, <c>file:PATH</c>, <c>tcp://host:port</c>,
/// <c>udp://host:port</c>, <c>serial:DEVICE[@baud]</c>, <c>mqtt://[user:password@]host[:port]</c>.
/// </summary>
public static class SinkUri
{
    /// <summary>The forms, for a problem's hint.</summary>
    public const string Forms = "Use stdout, null, file:PATH, tcp://host:port, udp://host:port, serial:/dev/ttyAMA0@115200 or mqtt://host:1883.";

    /// <summary>The URI for messages: credentials (<c>user:password@</c>) replaced by <c>…@</c>.</summary>
    public static string Redacted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return text;
        int hostStart = scheme + 3;
        int end = text.IndexOf('/', hostStart);
        int at = text.LastIndexOf('@', end < 0 ? text.Length - 1 : end - 1);
        return at < hostStart ? text : string.Concat(text.AsSpan(0, hostStart), "…", text.AsSpan(at));
    }

    /// <summary>The sink object for <paramref name="text"/>, or false with the reason in <paramref name="problem"/>.</summary>
    public static bool TryParse(string text, out JsonObject sink, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        sink = [];
        problem = null;
        if (text is "stdout" or "null")
        {
            sink["type"] = text;
            return true;
        }
        if (text.StartsWith("file:", StringComparison.Ordinal) && text.Length > "file:".Length && !text.StartsWith("file://", StringComparison.Ordinal))
        {
            sink["type"] = "file";
            sink["path"] = text["file:".Length..];
            return true;
        }
        if (text.StartsWith("serial:", StringComparison.Ordinal))
        {
            string[] parts = text["serial:".Length..].Split('@', 2);
            sink["type"] = "serial";
            sink["device"] = parts[0];
            int baud = 115_200;
            if (parts.Length > 1 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out baud))
            {
                problem = $"'{parts[1]}' is not a baud rate";
                return false;
            }
            sink["baudRate"] = baud;
            return true;
        }
        if (text.StartsWith("mqtt://", StringComparison.Ordinal) || text.StartsWith("mqtts://", StringComparison.Ordinal))
        {
            // The broker URI is checked where a broker written in the file is (SinkConfig.Validate).
            sink["type"] = "mqtt";
            sink["broker"] = text;
            return true;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "tcp" or "udp")
        {
            if (uri.Host.Length == 0 || uri.Port <= 0 || uri.AbsolutePath is not ("" or "/"))
            {
                problem = $"a {uri.Scheme} sink needs a host and a port, e.g. {uri.Scheme}://collector.local:7000";
                return false;
            }
            sink["type"] = uri.Scheme;
            sink["host"] = uri.IdnHost;
            sink["port"] = uri.Port;
            return true;
        }
        problem = $"'{text}' is not a sink";
        return false;
    }
}
