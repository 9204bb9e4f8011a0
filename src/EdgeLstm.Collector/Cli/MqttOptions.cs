using EdgeLstm.Protocol;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Ingest.Mqtt;

namespace EdgeLstm.Collector.Cli;

/// <summary>How <c>run</c> takes MQTT: from its own embedded broker, from an existing broker, or not at all.</summary>
/// <param name="EmbeddedBroker">Where to start the embedded broker; null when none is started.</param>
/// <param name="Broker">The existing broker to use (<c>--broker</c>); null with the embedded one or without MQTT.</param>
/// <param name="ClientId">The MQTT client id (it names the collector's persistent session).</param>
/// <param name="TrustedCa">With an <c>mqtts://</c> broker: the CAs of <c>--broker-ca</c>, or null for the system's.</param>
/// <param name="ClientCertificate">With an <c>mqtts://</c> broker: <c>--broker-cert</c> with <c>--broker-key</c>, or null.</param>
internal sealed record MqttPlan(IPEndPoint? EmbeddedBroker, MqttBrokerAddress? Broker, string ClientId,
    X509Certificate2Collection? TrustedCa = null, X509Certificate2? ClientCertificate = null)
{
    /// <summary>Whether MQTT is ingested at all (not <c>--no-mqtt</c>).</summary>
    public bool Enabled => EmbeddedBroker is not null || Broker is not null;
}

/// <summary>The MQTT options of <c>run</c> and their validation into an <see cref="MqttPlan"/>.</summary>
internal sealed class MqttOptions
{
    /// <summary>The embedded broker's default port (MQTT's).</summary>
    public const int DefaultPort = MqttBrokerAddress.DefaultPort;

    private readonly Option<bool> _noMqtt = new("--no-mqtt") { Description = "Take frames over TCP only: no MQTT ingest and no embedded broker." };
    private readonly Option<string?> _broker = new("--broker") { Description = "Use this existing MQTT broker instead of the embedded one: mqtt://host[:port] (default port 1883) or mqtts://host[:port] (TLS checked against the system trust store, default port 8883); user:password@ in the URL are the credentials." };
    private readonly Option<string?> _username = new("--broker-username") { Description = "The user name for --broker (instead of the URL's)." };
    private readonly Option<string?> _password = new("--broker-password") { Description = "The password for --broker (instead of the URL's)." };
    private readonly Option<string?> _ca = new("--broker-ca") { Description = "With an mqtts:// --broker: accept only a broker certificate signed by a CA in this PEM file (its host name checked too) instead of the system's CAs." };
    private readonly Option<string?> _cert = new("--broker-cert") { Description = "With an mqtts:// --broker: the collector's client certificate (PEM), for a broker that requires one. Needs --broker-key." };
    private readonly Option<string?> _key = new("--broker-key") { Description = "The private key (PEM) of --broker-cert." };
    private readonly Option<int> _port = new("--mqtt-port") { Description = $"The embedded broker's port (0: any free port). Default: {DefaultPort}.", DefaultValueFactory = _ => DefaultPort };
    private readonly Option<string> _bind = new("--mqtt-bind") { Description = "The address the embedded broker listens on. Default: 127.0.0.1 (this machine only); 0.0.0.0 for every interface.", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string> _clientId = new("--mqtt-client-id") { Description = $"The collector's MQTT client id; the broker keeps (and queues for) its session under it while the collector is down. Give each collector of a shared group its own. Default: {MqttIngestOptions.DefaultClientId}.", DefaultValueFactory = _ => MqttIngestOptions.DefaultClientId };

    /// <summary>Every option, to add to the command.</summary>
    public IEnumerable<Option> All => [_noMqtt, _broker, _username, _password, _ca, _cert, _key, _port, _bind, _clientId];

    /// <summary>The plan the options ask for, or null with one line saying what is wrong written to <paramref name="error"/>.</summary>
    public MqttPlan? Read(ParseResult result, TextWriter error)
    {
        string clientId = result.GetValue(_clientId)!;
        bool embeddedOptionsGiven = Given(result, _port) || Given(result, _bind);
        bool tlsOptionsGiven = Given(result, _ca) || Given(result, _cert) || Given(result, _key);
        bool brokerOptionsGiven = Given(result, _broker) || Given(result, _username) || Given(result, _password) || tlsOptionsGiven;
        if (result.GetValue(_noMqtt))
        {
            if (embeddedOptionsGiven || brokerOptionsGiven) return Fail(error, "--no-mqtt cannot be combined with other MQTT options.");
            return new MqttPlan(null, null, clientId);
        }
        if (string.IsNullOrWhiteSpace(clientId) || clientId.Length > 65535) return Fail(error, "--mqtt-client-id must not be empty.");
        string? brokerText = result.GetValue(_broker);
        if (brokerText is null)
        {
            if (brokerOptionsGiven) return Fail(error, "--broker-username, --broker-password, --broker-ca, --broker-cert and --broker-key need --broker.");
            int port = result.GetValue(_port);
            if (port is < 0 or > 65535) return Fail(error, $"--mqtt-port must be 0…65535; got {port}.");
            if (!IPAddress.TryParse(result.GetValue(_bind), out IPAddress? address)) return Fail(error, $"--mqtt-bind must be an IP address; got '{result.GetValue(_bind)}'.");
            return new MqttPlan(new IPEndPoint(address, port), null, clientId);
        }
        if (embeddedOptionsGiven) return Fail(error, "--mqtt-port and --mqtt-bind configure the embedded broker; with --broker none is started.");
        if (!MqttBrokerAddress.TryParse(brokerText, out MqttBrokerAddress? broker, out string problem)) return Fail(error, $"--broker '{brokerText}' {problem}.");
        broker = broker! with
        {
            Username = result.GetValue(_username) ?? broker.Username,
            Password = result.GetValue(_password) ?? broker.Password,
        };
        if (broker.Password is not null && broker.Username is null) return Fail(error, "--broker-password needs a user name (--broker-username or user@ in --broker).");
        if (!tlsOptionsGiven) return new MqttPlan(null, broker, clientId);
        if (!broker.UseTls) return Fail(error, "--broker-ca, --broker-cert and --broker-key need an mqtts:// --broker.");
        string? ca = result.GetValue(_ca), cert = result.GetValue(_cert), key = result.GetValue(_key);
        if ((cert is null) != (key is null)) return Fail(error, "--broker-cert and --broker-key go together.");
        X509Certificate2Collection? trusted = null;
        if (ca is not null && (trusted = PemFiles.LoadCertificates(ca, out string? caProblem)) is null)
            return Fail(error, $"--broker-ca '{ca}' {caProblem}{(caProblem == PemFiles.NoCertificate ? "." : "")}");
        X509Certificate2? certificate = null;
        if (cert is not null && (certificate = PemFiles.LoadCertificate(cert, key!, out string? failure)) is null)
            return Fail(error, $"--broker-cert '{cert}' with --broker-key '{key}' cannot be used: {failure}");
        return new MqttPlan(null, broker, clientId, trusted, certificate);
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static MqttPlan? Fail(TextWriter error, string message)
    {
        error.WriteLine($"edgelstm-collector: {message}");
        return null;
    }
}
