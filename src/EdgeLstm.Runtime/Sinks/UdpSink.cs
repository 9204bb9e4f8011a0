using System.Net.Sockets;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>Sends each frame as one datagram to a collector (docs/protocol.md: no framing over UDP).</summary>
internal sealed class UdpSink : FrameSink
{
    private readonly Socket _socket;
    private readonly string _name;
    private long _drops;

    /// <summary>Creates the sink; the host name is resolved once, here.</summary>
    public UdpSink(string host, int port)
    {
        _name = $"udp {host}:{port}";
        _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        // A connected UDP socket sends without building an address per datagram.
        _socket.Connect(host, port);
    }

    public override string Name => _name;

    public override FrameForm Form => FrameForm.Datagram;

    public override long Drops => Interlocked.Read(ref _drops);

    public override void Write(in OutgoingFrame frame)
    {
        try
        {
            _socket.Send(frame.Datagram, SocketFlags.None);
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
