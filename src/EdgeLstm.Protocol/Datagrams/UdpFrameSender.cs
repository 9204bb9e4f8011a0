using System.Buffers;
using System.Net.Sockets;

namespace EdgeLstm.Protocol;

/// <summary>
/// Sends frames over a connected UDP socket, one frame per datagram, reusing one buffer so that sending allocates
/// nothing. Not thread-safe: one sender per sending thread.
/// </summary>
public sealed class UdpFrameSender
{
    private readonly Socket _socket;
    private readonly ArrayBufferWriter<byte> _datagram = new(256);

    /// <summary>Creates a sender over <paramref name="socket"/>, which must already be connected to the collector.</summary>
    /// <param name="socket">A connected datagram socket; the caller keeps ownership.</param>
    public UdpFrameSender(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>Encodes and sends one frame as one datagram.</summary>
    /// <typeparam name="TFrame">The frame type; a generic so struct frames are not boxed.</typeparam>
    /// <param name="frame">The frame to send.</param>
    /// <returns>The datagram's size in bytes.</returns>
    /// <exception cref="SocketException">The socket refused the datagram (e.g. the collector's port was unreachable).</exception>
    public int Send<TFrame>(in TFrame frame)
        where TFrame : IWireFrame
    {
        _datagram.ResetWrittenCount();
        DatagramFrames.Write(frame, _datagram);
        return Send(_datagram.WrittenSpan);
    }

    /// <summary>
    /// Sends a frame already written by <see cref="DatagramFrames.Write{TFrame}"/>, for a caller that encodes each
    /// frame once and hands the bytes to several destinations.
    /// </summary>
    /// <param name="datagram">One frame's payload.</param>
    /// <returns>The datagram's size in bytes.</returns>
    /// <exception cref="SocketException">The socket refused the datagram (e.g. the collector's port was unreachable).</exception>
    public int Send(ReadOnlySpan<byte> datagram) => _socket.Send(datagram, SocketFlags.None);
}
