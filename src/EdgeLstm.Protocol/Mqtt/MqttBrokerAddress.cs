using System.Diagnostics.CodeAnalysis;

namespace EdgeLstm.Protocol;

/// <summary>
/// An MQTT broker as a board's sink or the collector's ingest names it: <c>mqtt://host:port</c> (plain TCP, port 1883
/// by default) or <c>mqtts://host:port</c> (TLS, port 8883 by default), with an optional user name and password.
/// </summary>
/// <param name="Host">The broker's host name or address (an IPv6 address without brackets).</param>
/// <param name="Port">The broker's port.</param>
/// <param name="UseTls">True for <c>mqtts://</c>.</param>
/// <param name="Username">The user name of the URL's userinfo, percent-decoded, if any.</param>
/// <param name="Password">The password of the URL's userinfo, percent-decoded, if any.</param>
public sealed record MqttBrokerAddress(string Host, int Port, bool UseTls, string? Username = null, string? Password = null)
{
    /// <summary>The conventional plain MQTT port.</summary>
    public const int DefaultPort = 1883;

    /// <summary>The conventional MQTT-over-TLS port.</summary>
    public const int DefaultTlsPort = 8883;

    /// <summary>The address as a URL, without the password (for logs and the start-up line).</summary>
    public override string ToString() =>
        $"{(UseTls ? "mqtts" : "mqtt")}://{(Username is null ? "" : Uri.EscapeDataString(Username) + "@")}{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>Parses a <c>--broker</c> value; user name and password come from its userinfo (percent-decoded).</summary>
    /// <returns>False, with the reason in <paramref name="problem"/>, when the value is not such a URL.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MqttBrokerAddress? address, out string problem)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
        {
            problem = "is not a URL (expected mqtt://host:port or mqtts://host:port)";
            return false;
        }
        if (uri.Scheme is not ("mqtt" or "mqtts"))
        {
            problem = $"has scheme '{uri.Scheme}' (expected mqtt or mqtts)";
            return false;
        }
        bool tls = uri.Scheme == "mqtts";
        if (string.IsNullOrEmpty(uri.Host))
        {
            problem = "names no host";
            return false;
        }
        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "has a path, query or fragment (expected only mqtt[s]://[user[:password]@]host[:port])";
            return false;
        }
        int port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port;
        if (port is < 1 or > 65535)
        {
            problem = $"has port {port} (expected 1…65535)";
            return false;
        }
        string? username = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            username = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        address = new MqttBrokerAddress(uri.IdnHost.Trim('[', ']'), port, tls, username, password);
        problem = "";
        return true;
    }
}
