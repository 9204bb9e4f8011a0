using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using EdgeLstm.Runtime.Sinks.Tls;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// MQTTnet's client over a TCP socket, plain or with the board's own OpenSSL TLS (<see cref="OpenSslStream"/>).
/// MQTTnet's own transports can also open WebSocket and SslStream channels, and referencing them pulls the HTTP, TLS
/// and X.509 stacks into the board's Native-AOT binary: 3.6 MB on linux-arm64, measured (docs/performance.md, binary
/// size). This factory and <see cref="MqttSocketChannel"/> leave them out, so the board's binary stays within its 8 MiB.
/// </summary>
/// <param name="tls">TLS for every connection (<c>mqtts://</c>), or null for plain TCP.</param>
internal sealed class MqttTcpAdapterFactory(TlsClientContext? tls = null) : IMqttClientAdapterFactory
{
    /// <summary>A client that connects over TCP, with TLS when <paramref name="tls"/> is given.</summary>
    public static IMqttClient CreateClient(TlsClientContext? tls = null) => new MqttClientFactory(new MqttNetNullLogger(), new MqttTcpAdapterFactory(tls)).CreateMqttClient();

    /// <inheritdoc />
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelOptions is not MqttClientTcpOptions { RemoteEndpoint: { } endpoint })
            throw new NotSupportedException("the board's MQTT client connects over TCP only");
        var packets = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        return new MqttChannelAdapter(new MqttSocketChannel(endpoint, options.Timeout, tls), packets, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
    }
}

/// <summary>One MQTT connection over a TCP socket, TLS when <paramref name="tls"/> is given, for <see cref="MqttTcpAdapterFactory"/>.</summary>
internal sealed class MqttSocketChannel(EndPoint broker, TimeSpan sendTimeout, TlsClientContext? tls = null) : IMqttChannel
{
    private Socket? _socket;
    private Stream? _stream;

    /// <summary>None in MQTTnet's terms: a client certificate is OpenSSL's business here (<see cref="TlsClientOptions.CertFile"/>).</summary>
    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint => _socket?.RemoteEndPoint ?? broker;

    public EndPoint LocalEndPoint => _socket?.LocalEndPoint!;

    public bool IsSecureConnection => tls is not null;

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
        if (tls is null)
        {
            _stream = new NetworkStream(socket, ownsSocket: true);
            return;
        }
        try
        {
            (string host, int port) = broker switch
            {
                DnsEndPoint dns => (dns.Host, dns.Port),
                IPEndPoint ip => (ip.Address.ToString(), ip.Port),
                _ => (broker.ToString() ?? "", 0),
            };
            // The handshake waits in Socket.Poll, bounded by the send timeout: the sink's sender thread waits on this connect anyway.
            _stream = tls.Connect(socket, host, port, sendTimeout);
            ((OpenSslStream)_stream).WriteTimeoutSpan = sendTimeout;
        }
        catch
        {
            _socket = null;
            socket.Dispose();
            throw;
        }
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

    private Stream Stream => _stream ?? throw new InvalidOperationException("not connected");

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        _socket = null;
    }
}
