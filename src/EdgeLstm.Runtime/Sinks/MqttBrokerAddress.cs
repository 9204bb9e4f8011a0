using System.Globalization;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Where an MQTT sink connects: <c>mqtt://host[:port]</c> (plain, port 1883) or <c>mqtts://host[:port]</c> (TLS with the
/// system's trusted certificates, port 8883). Credentials in the URI (<c>mqtt://user:password@host</c>) are taken when
/// the config gives none of its own.
/// </summary>
/// <param name="Host">The broker's host name or address.</param>
/// <param name="Port">The broker's port.</param>
/// <param name="UseTls">True for <c>mqtts://</c>.</param>
/// <param name="Username">The user name in the URI, if any.</param>
/// <param name="Password">The password in the URI, if any.</param>
internal sealed record MqttBrokerAddress(string Host, int Port, bool UseTls, string? Username, string? Password)
{
    /// <summary>The port of <c>mqtt://</c> when the URI names none.</summary>
    public const int DefaultPort = 1883;

    /// <summary>The port of <c>mqtts://</c> when the URI names none.</summary>
    public const int DefaultTlsPort = 8883;

    /// <summary>The address, or null with the reason in <paramref name="problem"/>.</summary>
    public static MqttBrokerAddress? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
        {
            problem = $"'{text}' is not a broker URI such as mqtt://broker.local:1883";
            return null;
        }
        bool tls = uri.Scheme == "mqtts";
        if (!tls && uri.Scheme != "mqtt")
        {
            problem = $"'{Redacted(uri)}' is not an mqtt:// or mqtts:// URI";
            return null;
        }
        if (uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = $"'{Redacted(uri)}' must name a host and a port only, e.g. mqtt://broker.local:1883";
            return null;
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        int port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port;
        return new MqttBrokerAddress(uri.IdnHost, port, tls, user, password);
    }

    /// <summary>The URI for logs: scheme, host and port, never the password.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}");

    private static string Redacted(Uri uri) => uri.UserInfo.Length == 0 ? uri.OriginalString : uri.OriginalString.Replace(uri.UserInfo, "…", StringComparison.Ordinal);
}
