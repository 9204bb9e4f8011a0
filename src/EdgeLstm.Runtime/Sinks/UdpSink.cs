using System.Net.Sockets;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Sends each frame as one datagram to a collector (docs/protocol.md: no framing over UDP), through the protocol
/// library's <see cref="UdpFrameSender"/>; this sink adds the socket's lifetime and the drop count.
/// </summary>
internal sealed class UdpSink : FrameSink
{
    private readonly Socket _socket;
    private readonly UdpFrameSender _sender;
    private readonly string _name;
    private long _drops;

    /// <summary>Creates the sink; the host name is resolved once, here.</summary>
    public UdpSink(string host, int port)
    {
        _name = $"udp {host}:{port}";
        _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        // A connected UDP socket sends without building an address per datagram.
        _socket.Connect(host, port);
        _sender = new UdpFrameSender(_socket);
    }

    public override string Name => _name;

    public override FrameForm Form => FrameForm.Datagram;

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        try
        {
            _sender.Send(frame.Datagram);
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
