using EdgeLstm.Protocol;
using System.Text.Json.Serialization;
using EdgeLstm.Runtime.Sinks.Tls;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Kinds of frame sinks.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SinkKind>))]
public enum SinkKind
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>A file.</summary>
    File,

    /// <summary>A TCP connection to a collector.</summary>
    Tcp,

    /// <summary>UDP datagrams to a collector.</summary>
    Udp,

    /// <summary>A serial port.</summary>
    Serial,

    /// <summary>Nowhere: frames are counted and dropped (benchmarks, alarm-pin-only boards).</summary>
    Null,

    /// <summary>An MQTT broker, with the collector's Acks coming back through it.</summary>
    Mqtt,
}

/// <summary>One frame sink; which fields are needed depends on <see cref="Type"/>.</summary>
public sealed class SinkConfig
{
    /// <summary>Gets the sink kind.</summary>
    public required SinkKind Type { get; set; }

    /// <summary>Gets the file path (file sinks).</summary>
    public string? Path { get; set; }

    /// <summary>Gets the collector host (tcp and udp sinks).</summary>
    public string? Host { get; set; }

    /// <summary>Gets the collector port (tcp and udp sinks).</summary>
    public int? Port { get; set; }

    /// <summary>Gets the serial device, e.g. /dev/ttyAMA0 (serial sinks).</summary>
    public string? Device { get; set; }

    /// <summary>Gets the serial baud rate (serial sinks).</summary>
    public int? BaudRate { get; set; }

    /// <summary>Gets the broker, <c>mqtt://host:1883</c> or <c>mqtts://host:8883</c> (TLS, see <see cref="Tls"/>) (mqtt sinks).</summary>
    public string? Broker { get; set; }

    /// <summary>Gets the broker user name (mqtt sinks; none: anonymous, or the broker URI's).</summary>
    public string? Username { get; set; }

    /// <summary>Gets the broker password (mqtt sinks).</summary>
    public string? Password { get; set; }

    /// <summary>Gets how the board checks the server and proves who it is over TLS (mqtt sinks with <c>mqtts://</c>; tcp sinks: TLS when given).</summary>
    public SinkTlsConfig? Tls { get; set; }

    /// <summary>Gets the MQTT client id (mqtt sinks; default <c>edgelstm-&lt;deviceId&gt;</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets how long the broker keeps the board's session after a disconnect (mqtt sinks; default one day).</summary>
    public long? SessionExpirySeconds { get; set; }

    /// <summary>The session expiry when the config gives none: a day, so Acks published during a day-long outage wait for the board.</summary>
    public const long DefaultSessionExpirySeconds = 86_400;

    /// <summary>The longest MQTT client id accepted (brokers may take more; some take only 23 bytes under MQTT 3.1.1).</summary>
    public const int MaxClientIdLength = 128;

    /// <summary>Checks that the fields this kind of sink needs are given.</summary>
    /// <param name="path">The sink's JSON path, e.g. <c>$.sinks[0]</c>.</param>
    /// <param name="problems">Where problems are added.</param>
    internal void Validate(string path, List<ConfigProblem> problems)
    {
        switch (Type)
        {
            case SinkKind.File when string.IsNullOrWhiteSpace(Path):
                problems.Add(new ConfigProblem($"{path}.path", "a file sink needs a path.", "Add \"path\": \"/var/log/edgelstm/frames.bin\"."));
                break;
            case SinkKind.Tcp or SinkKind.Udp when string.IsNullOrWhiteSpace(Host) || Port is not (>= 1 and <= 65535):
                problems.Add(new ConfigProblem(path, $"a {Type.ToString().ToLowerInvariant()} sink needs host and a port 1–65535.", "Add \"host\": \"collector.local\", \"port\": 7000."));
                break;
            case SinkKind.Serial when string.IsNullOrWhiteSpace(Device) || BaudRate is not > 0:
                problems.Add(new ConfigProblem(path, "a serial sink needs device and baudRate.", "Add \"device\": \"/dev/ttyAMA0\", \"baudRate\": 115200."));
                break;
            case SinkKind.Mqtt:
                ValidateMqtt(path, problems);
                break;
        }
        if (Tls is not null && Type is not (SinkKind.Tcp or SinkKind.Mqtt))
            problems.Add(new ConfigProblem($"{path}.tls", $"a {Type.ToString().ToLowerInvariant()} sink has no TLS.", "Leave tls out, or use a tcp or mqtt sink."));
        Tls?.Validate($"{path}.tls", problems);
    }

    /// <summary>The TLS options of a tcp sink, null without TLS (call after <see cref="Validate"/> found no problem).</summary>
    internal TlsClientOptions? TcpTls(string baseDirectory) => Tls?.Options(baseDirectory);

    private void ValidateMqtt(string path, List<ConfigProblem> problems)
    {
        if (!MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? broker, out string problem))
        {
            problems.Add(new ConfigProblem($"{path}.broker", $"an mqtt sink needs a broker: '{SinkUri.Redacted(Broker ?? "")}' {problem}.", "Use \"broker\": \"mqtt://broker.local:1883\"."));
        }
        else if (!broker.UseTls && Tls is not null)
        {
            problems.Add(new ConfigProblem($"{path}.tls", $"TLS settings for a plain broker '{SinkUri.Redacted(Broker!)}'.", "Use mqtts://host:8883 for TLS, or leave tls out."));
        }
        if (ClientId is not null && (ClientId.Length is 0 or > MaxClientIdLength || ClientId.Any(char.IsControl)))
            problems.Add(new ConfigProblem($"{path}.clientId", $"the client id must be 1–{MaxClientIdLength} characters without control characters.", "Leave it out for edgelstm-<deviceId>."));
        if (SessionExpirySeconds is not null and not (>= 1 and <= uint.MaxValue))
            problems.Add(new ConfigProblem($"{path}.sessionExpirySeconds", $"the session expiry {SessionExpirySeconds} s is not 1–{uint.MaxValue} s ({uint.MaxValue}: never).", $"Leave it out for {DefaultSessionExpirySeconds} s (a day)."));
        if (Password is not null && Username is null)
            problems.Add(new ConfigProblem($"{path}.password", "a password without a username.", "Add \"username\", or leave the password out."));
    }

    /// <summary>
    /// The MQTT sink's settings for <paramref name="deviceId"/>, TLS file paths relative to <paramref name="baseDirectory"/>
    /// (call after <see cref="Validate"/> found no problem). <c>mqtts://</c> without <see cref="Tls"/>: the system's CAs.
    /// </summary>
    internal MqttSinkSettings MqttSettings(string deviceId, string baseDirectory)
    {
        if (!MqttBrokerAddress.TryParse(Broker, out MqttBrokerAddress? broker, out _)) throw new InvalidOperationException("the mqtt sink was not validated");
        TlsClientOptions? tls = broker.UseTls ? Tls?.Options(baseDirectory) ?? new TlsClientOptions(null, null, null, null, null) : null;
        return new MqttSinkSettings(broker, deviceId, ClientId ?? $"edgelstm-{deviceId}", Username ?? broker.Username, Username is null ? broker.Password : Password,
            (uint)(SessionExpirySeconds ?? DefaultSessionExpirySeconds), tls);
    }
}
