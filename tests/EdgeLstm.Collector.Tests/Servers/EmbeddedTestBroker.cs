using System.Net;
using EdgeLstm.Collector.Ingest.Mqtt;

namespace EdgeLstm.Collector.Tests.Servers;

/// <summary>The collector's own embedded broker (MQTTnet.Server) on a free loopback port.</summary>
internal sealed class EmbeddedTestBroker : ITestBroker
{
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start(new IPEndPoint(IPAddress.Loopback, 0));

    /// <inheritdoc />
    public int Port => _broker.Endpoint.Port;

    /// <inheritdoc />
    public void Dispose() => _broker.Dispose();
}
