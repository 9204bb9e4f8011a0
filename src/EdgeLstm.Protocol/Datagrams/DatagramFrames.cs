using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EdgeLstm.Protocol;

/// <summary>
/// One frame per UDP datagram: the datagram is the bare MessagePack payload, with no COBS and no CRC, because
/// datagram boundaries already delimit frames and UDP's checksum already covers the bytes.
/// </summary>
public static class DatagramFrames
{
    /// <summary>Writes <paramref name="frame"/> as one datagram's bytes. Allocates nothing.</summary>
    /// <typeparam name="TFrame">The frame type; a generic so struct frames are not boxed.</typeparam>
    /// <param name="frame">The frame to send.</param>
    /// <param name="output">A reused buffer whose written bytes become the datagram.</param>
    public static void Write<TFrame>(in TFrame frame, IBufferWriter<byte> output)
        where TFrame : IWireFrame => PayloadEncoder.Write(frame, output);

    /// <summary>Decodes one received datagram.</summary>
    /// <param name="datagram">The datagram's bytes.</param>
    /// <param name="limits">Caps on sizes and nesting; <see cref="DecoderLimits.Default"/> when null.</param>
    /// <returns>The frame, an unknown-type notice or an error.</returns>
    public static DecodeResult Decode(ReadOnlyMemory<byte> datagram, DecoderLimits? limits = null) =>
        PayloadDecoder.Decode(datagram, limits ?? DecoderLimits.Default);

    /// <summary>Receives datagrams from a bound UDP socket and yields one result per datagram until cancelled.</summary>
    /// <param name="socket">A bound datagram socket.</param>
    /// <param name="limits">Caps on sizes and nesting; <see cref="DecoderLimits.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops receiving.</param>
    /// <returns>Frames, unknown-type notices and errors, in arrival order.</returns>
    public static async IAsyncEnumerable<DecodeResult> ReceiveAllAsync(
        Socket socket,
        DecoderLimits? limits = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        DecoderLimits effective = limits ?? DecoderLimits.Default;

        // One byte more than the limit, so an oversized datagram (cut short by the kernel) is seen as too long.
        byte[] buffer = new byte[effective.MaxPayloadBytes + 1];
        while (!cancellationToken.IsCancellationRequested)
        {
            int received = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            yield return PayloadDecoder.Decode(buffer.AsMemory(0, received), effective);
        }
    }
}
