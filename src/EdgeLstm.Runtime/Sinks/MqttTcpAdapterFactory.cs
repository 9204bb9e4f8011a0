using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// MQTTnet's client over a plain TCP socket. MQTTnet's own transports can also open WebSocket and TLS channels, and
/// referencing them pulls the HTTP, TLS and X.509 stacks into the board's Native-AOT binary: 3.6 MB on linux-arm64,
/// measured (docs/performance.md, binary size). This factory and <see cref="MqttSocketChannel"/> leave them out, so
/// the board's binary stays within its 8 MiB.
/// </summary>
internal sealed class MqttTcpAdapterFactory : IMqttClientAdapterFactory
{
    /// <summary>A client that connects over plain TCP only.</summary>
    public static IMqttClient CreateClient() => new MqttClientFactory(new MqttNetNullLogger(), new MqttTcpAdapterFactory()).CreateMqttClient();

    /// <inheritdoc />
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelOptions is not MqttClientTcpOptions { RemoteEndpoint: { } endpoint })
            throw new NotSupportedException("the board's MQTT client connects over TCP only");
        var packets = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        return new MqttChannelAdapter(new MqttSocketChannel(endpoint, options.Timeout), packets, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
    }
}

/// <summary>One MQTT connection over a TCP socket, for <see cref="MqttTcpAdapterFactory"/>.</summary>
internal sealed class MqttSocketChannel(EndPoint broker, TimeSpan sendTimeout) : IMqttChannel
{
    private Socket? _socket;
    private NetworkStream? _stream;

    /// <summary>None: the board does not authenticate with a certificate over this channel.</summary>
    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint => _socket?.RemoteEndPoint ?? broker;

    public EndPoint LocalEndPoint => _socket?.LocalEndPoint!;

    public bool IsSecureConnection => false;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = (int)sendTimeout.TotalMilliseconds };
        try
        {
            await socket.ConnectAsync(broker, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await Stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        foreach (ReadOnlyMemory<byte> segment in buffer) await Stream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
    }

    private NetworkStream Stream => _stream ?? throw new InvalidOperationException("not connected");

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        _socket = null;
    }
}
