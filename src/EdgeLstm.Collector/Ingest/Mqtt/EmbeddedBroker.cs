using EdgeLstm.Protocol;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace EdgeLstm.Collector.Ingest.Mqtt;

/// <summary>
/// An MQTT broker inside the collector (MQTTnet.Server), for a site without one: boards publish to it and the
/// collector's own <see cref="MqttIngest"/> subscribes over loopback. Sessions persist while the process runs (not
/// across restarts: the boards' journals cover that, they resend what was not acknowledged).
/// </summary>
internal sealed class EmbeddedBroker : IDisposable
{
    /// <summary>Messages queued per offline client before the oldest are dropped.</summary>
    public const int MaxPendingMessagesPerClient = 100_000;

    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, IPEndPoint endpoint)
    {
        _server = server;
        Endpoint = endpoint;
    }

    /// <summary>Where the broker listens (the port chosen when 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>How a client on this machine reaches it.</summary>
    public MqttBrokerAddress LocalAddress
    {
        get
        {
            IPAddress host = Endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
                : Endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : Endpoint.Address;
            return new MqttBrokerAddress(host.ToString(), Endpoint.Port, UseTls: false);
        }
    }

    /// <summary>Starts a broker listening on <paramref name="endpoint"/> only; throws <see cref="SocketException"/> when it cannot bind.</summary>
    public static EmbeddedBroker Start(IPEndPoint endpoint)
    {
        // MQTTnet does not report the port it bound, so port 0 is resolved first (a short race with other programs).
        var bound = new IPEndPoint(endpoint.Address, endpoint.Port == 0 ? FreePort(endpoint.Address) : endpoint.Port);
        bool v6 = bound.AddressFamily == AddressFamily.InterNetworkV6;
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(bound.Port)
            // The default endpoint listens on IPv4 and IPv6 at once; only the family asked for is bound, the other is off.
            .WithDefaultEndpointBoundIPAddress(v6 ? IPAddress.None : bound.Address)
            .WithDefaultEndpointBoundIPV6Address(v6 ? bound.Address : IPAddress.None)
            .WithDefaultEndpointReuseAddress()
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(MaxPendingMessagesPerClient)
            .Build();
        MqttServer server = new MqttServerFactory().CreateMqttServer(options);
        try
        {
            server.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return new EmbeddedBroker(server, bound);
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _server.StopAsync(new MqttServerStopOptions()).GetAwaiter().GetResult();
        _server.Dispose();
    }
}
