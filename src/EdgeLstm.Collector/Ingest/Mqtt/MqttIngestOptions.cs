using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>How the MQTT ingest connects, subscribes and batches.</summary>
/// <param name="Broker">The broker to connect to.</param>
internal sealed record MqttIngestOptions(MqttBrokerAddress Broker)
{
    /// <summary>The MQTT client id; it names the persistent session the broker keeps (and queues for) while the collector is down.</summary>
    public string ClientId { get; init; } = DefaultClientId;

    /// <summary>With <c>mqtts://</c>: the CAs the broker's certificate must be signed by (its name checked too); null: the system's.</summary>
    public X509Certificate2Collection? TrustedCa { get; init; }

    /// <summary>With <c>mqtts://</c>: the collector's client certificate (with its key) for a broker that asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary><c>edgelstm-collector@&lt;hostname&gt;</c>.</summary>
    public static string DefaultClientId => $"edgelstm-collector@{Environment.MachineName}";

    /// <summary>How long the broker keeps the session (subscriptions and queued messages) after the collector disconnected.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(1);

    /// <summary>A batch is committed when it holds this many frames…</summary>
    public int MaxBatchFrames { get; init; } = 500;

    /// <summary>…or this long after its first message arrived.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long committed frames' range Acks are held so that consecutive frames of a board share one Ack; a board
    /// waits 30 s for Ack progress before it sends again, so this only delays when its journal releases space.
    /// </summary>
    public TimeSpan AckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The first wait before reconnecting to a broker that cannot be reached; doubled up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(15);
}
