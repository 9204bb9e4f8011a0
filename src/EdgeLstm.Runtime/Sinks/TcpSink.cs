using System.Net.Sockets;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks.Tls;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery to a TCP collector (<see cref="StreamDeliverySink"/>): framed frames out, Acks back on the same
/// connection. The host name is resolved again on every connect. A collector that stops reading fails the send
/// within the send timeout; a half-open link is noticed by TCP keepalive (idle) or the kernel's user timeout
/// (data unacknowledged at the TCP level), both set below the delivery's Ack timeout. With TLS options the link is
/// TLS (the board's own OpenSSL client, <see cref="OpenSslStream"/>), the collector checked by its pinned certificate
/// or a CA, the board optionally proving who it is with a client certificate.
/// </summary>
internal sealed class TcpSink : StreamDeliverySink
{
    // Linux's TCP_USER_TIMEOUT (include/uapi/linux/tcp.h): how long sent data may stay unacknowledged by the peer's TCP.
    private const int TcpUserTimeoutOption = 18;

    private readonly string _host;
    private readonly int _port;
    private readonly TlsClientContext? _tls;
    private Socket? _socket;
    private OpenSslStream? _stream;

    /// <summary>Starts the sender thread; the first connection attempt happens at once. <paramref name="tls"/> null: plain TCP.</summary>
    public TcpSink(string host, int port, TlsClientOptions? tls, FrameJournal journal, DeliveryTimings timings, TextWriter log)
        : base($"tcp {host}:{port}", journal, timings, log) // the journal's consumer name: the same collector with TLS or without
    {
        _host = host;
        _port = port;
        // Made once: a CA, certificate or key file that cannot be used stops the start instead of failing every reconnect.
        _tls = tls is null ? null : new TlsClientContext(tls, "collector");
        Start();
    }

    protected override void Open()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            int timeoutMs = (int)Timings.SendTimeout.TotalMilliseconds;
            socket.SendTimeout = timeoutMs;
            // A small send buffer keeps what a dead collector can swallow (and what is resent) small.
            socket.SendBufferSize = 64 * 1024;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 2);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            if (OperatingSystem.IsLinux())
                socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpUserTimeoutOption, BitConverter.GetBytes(2 * timeoutMs));
            if (!socket.ConnectAsync(_host, _port).Wait(Timings.SendTimeout))
                throw new TimeoutException($"no answer from {_host}:{_port} within {DeliveryTimings.Words(Timings.SendTimeout)}");
            if (_tls is not null)
            {
                _stream = _tls.Connect(socket, _host, _port, Timings.SendTimeout);
                _stream.WriteTimeoutSpan = Timings.SendTimeout;
            }
        }
        catch (AggregateException e) when (e.InnerException is SocketException inner)
        {
            socket.Dispose();
            throw inner;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
    }

    protected override void Send(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null)
        {
            _stream.Write(bytes);
            return;
        }
        Socket socket = _socket ?? throw new InvalidOperationException("not connected");
        while (!bytes.IsEmpty) bytes = bytes[socket.Send(bytes)..];
    }

    protected override int ReceiveAvailable(Span<byte> buffer)
    {
        if (_stream is not null) return _stream.ReadAvailable(buffer);
        Socket socket = _socket ?? throw new InvalidOperationException("not connected");
        if (socket.Available > 0) return socket.Receive(buffer);
        // Readable with nothing to read means the collector closed the connection.
        if (socket.Poll(0, SelectMode.SelectRead)) throw new IOException("the collector closed the connection");
        return 0;
    }

    protected override void Disconnect()
    {
        _stream?.Dispose();
        _stream = null;
        _socket?.Dispose();
        _socket = null;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _tls?.Dispose();
    }
}
