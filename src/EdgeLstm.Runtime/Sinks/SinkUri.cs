using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// <c>edgelstm run --sink URI</c>: a sink named on the command line, turned into the board file's own sink object so it
/// is validated like one written there. Forms: <c>stdout</c>, <c>null</c>, <c>file:PATH</c>, <c>tcp://host:port</c>,
/// <c>udp://host:port</c>, <c>serial:DEVICE[@baud]</c>, <c>mqtt://[user:password@]host[:port]</c>, and with TLS
/// <c>mqtts://[user:password@]host[:port][?TLS]</c> and <c>tcps://host:port[?TLS]</c>, where TLS is
/// <c>ca=FILE</c>, <c>pin=SHA256</c>, <c>cert=FILE</c>, <c>key=FILE</c>, <c>name=SERVERNAME</c> joined by <c>&amp;</c>
/// (the sink's <c>tls</c> fields; files relative to the current folder).
/// </summary>
public static class SinkUri
{
    /// <summary>The forms, for a problem's hint.</summary>
    public const string Forms = "Use stdout, null, file:PATH, tcp://host:port, tcps://host:port?pin=SHA256, udp://host:port, serial:/dev/ttyAMA0@115200, mqtt://host:1883 or mqtts://host:8883?ca=ca.pem.";

    /// <summary>The URI for messages: credentials (<c>user:password@</c>) replaced by <c>…@</c>.</summary>
    public static string Redacted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return text;
        int hostStart = scheme + 3;
        int end = text.IndexOfAny(['/', '?', '#'], hostStart);
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
            int query = text.IndexOf('?', StringComparison.Ordinal);
            // A query after a path is no TLS setting: the broker's check refuses the path.
            if (query >= 0 && Uri.TryCreate(text[..query], UriKind.Absolute, out Uri? broker) && broker.AbsolutePath is not ("" or "/")) query = -1;
            sink["broker"] = query < 0 ? text : text[..query];
            return query < 0 || TryParseTls(text[(query + 1)..], sink, out problem);
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme is "tcp" or "udp" or "tcps")
        {
            if (uri.Host.Length == 0 || uri.Port <= 0 || uri.AbsolutePath is not ("" or "/") || (uri.Query.Length > 0 && uri.Scheme != "tcps"))
            {
                problem = $"a {uri.Scheme} sink needs a host and a port, e.g. {uri.Scheme}://collector.local:7000";
                return false;
            }
            sink["type"] = uri.Scheme == "udp" ? "udp" : "tcp";
            sink["host"] = uri.IdnHost;
            sink["port"] = uri.Port;
            return uri.Scheme != "tcps" || TryParseTls(uri.Query.TrimStart('?'), sink, out problem);
        }
        problem = $"'{text}' is not a sink";
        return false;
    }

    /// <summary>The TLS query (<c>ca=…&amp;pin=…</c>) as the sink's <c>tls</c> object; file paths made absolute against the current folder.</summary>
    private static bool TryParseTls(string query, JsonObject sink, out string? problem)
    {
        problem = null;
        var tls = new JsonObject();
        sink["tls"] = tls;
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            string value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            string? field = parts[0] switch
            {
                "ca" => "caFile",
                "pin" => "pinSha256",
                "cert" => "certFile",
                "key" => "keyFile",
                "name" => "serverName",
                _ => null,
            };
            if (field is null)
            {
                problem = $"'{parts[0]}' is not a TLS setting (ca, pin, cert, key, name)";
                return false;
            }
            tls[field] = field.EndsWith("File", StringComparison.Ordinal) && value.Length > 0 ? Path.GetFullPath(value) : value;
        }
        return true;
    }
}
