using System.Net.Sockets;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery to a TCP collector (<see cref="StreamDeliverySink"/>): framed frames out, Acks back on the same
/// connection. The host name is resolved again on every connect. A collector that stops reading fails the send
/// within the send timeout; a half-open link is noticed by TCP keepalive (idle) or the kernel's user timeout
/// (data unacknowledged at the TCP level), both set below the delivery's Ack timeout.
/// </summary>
internal sealed class TcpSink : StreamDeliverySink
{
    // Linux's TCP_USER_TIMEOUT (include/uapi/linux/tcp.h): how long sent data may stay unacknowledged by the peer's TCP.
    private const int TcpUserTimeoutOption = 18;

    private readonly string _host;
    private readonly int _port;
    private Socket? _socket;

    /// <summary>Starts the sender thread; the first connection attempt happens at once.</summary>
    public TcpSink(string host, int port, FrameJournal journal, DeliveryTimings timings, TextWriter log)
        : base($"tcp {host}:{port}", journal, timings, log)
    {
        _host = host;
        _port = port;
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
        Socket socket = _socket ?? throw new InvalidOperationException("not connected");
        while (!bytes.IsEmpty) bytes = bytes[socket.Send(bytes)..];
    }

    protected override int ReceiveAvailable(Span<byte> buffer)
    {
        Socket socket = _socket ?? throw new InvalidOperationException("not connected");
        if (socket.Available > 0) return socket.Receive(buffer);
        // Readable with nothing to read means the collector closed the connection.
        if (socket.Poll(0, SelectMode.SelectRead)) throw new IOException("the collector closed the connection");
        return 0;
    }

    protected override void Disconnect()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
