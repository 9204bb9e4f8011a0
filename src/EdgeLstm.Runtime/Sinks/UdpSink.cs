using System.Net.Sockets;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Sends each frame as one datagram to a collector (docs/protocol.md: no framing over UDP), through the protocol
/// library's <see cref="UdpFrameSender"/>; this sink adds the socket's lifetime, the drop count and the Hello
/// resent every minute, because a collector that starts (or lost a datagram) after the board
/// cannot ask for it. UDP is best effort: nothing acknowledges it, so it sends live frames and keeps no backlog.
/// </summary>
internal sealed class UdpSink : FrameSink
{
    /// <summary>How often a board sends the latest Hello again.</summary>
    public static readonly TimeSpan DefaultHelloInterval = TimeSpan.FromSeconds(60);

    private readonly long _helloIntervalMs;

    private readonly Socket _socket;
    private readonly UdpFrameSender _sender;
    private readonly string _name;
    private byte[] _hello = [];
    private long _helloSentMs;
    private long _drops;

    /// <summary>Creates the sink; the host name is resolved once, here.</summary>
    public UdpSink(string host, int port, TimeSpan? helloInterval = null)
    {
        _helloIntervalMs = (long)(helloInterval ?? DefaultHelloInterval).TotalMilliseconds;
        _name = $"udp {host}:{port}";
        _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // A connected UDP socket sends without building an address per datagram.
            _socket.Connect(host, port);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _sender = new UdpFrameSender(_socket);
    }

    public override string Name => _name;

    public override FrameForm Form => FrameForm.Datagram;

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        long now = Environment.TickCount64;
        if (frame.Type == FrameType.Hello)
        {
            _hello = frame.Datagram.ToArray(); // rare: at start and before the time offset wraps
            _helloSentMs = now;
        }
        else if (_hello.Length > 0 && now - _helloSentMs >= _helloIntervalMs)
        {
            Send(_hello);
            _helloSentMs = now;
        }
        Send(frame.Datagram);
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _sender.Send(datagram);
        }
        catch (SocketException)
        {
            // ICMP port unreachable and full buffers surface here; UDP is best effort, so count and go on.
            Interlocked.Increment(ref _drops);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _socket.Dispose();
        base.Dispose(disposing);
    }
}
