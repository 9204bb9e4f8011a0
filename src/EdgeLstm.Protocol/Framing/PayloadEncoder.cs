using System.Buffers;
using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>Writes a frame's bare MessagePack payload (no CRC, no COBS): the form used inside stream framing and as a UDP datagram.</summary>
public static class PayloadEncoder
{
    /// <summary>Appends the MessagePack array of <paramref name="frame"/> to <paramref name="output"/>. Allocates nothing.</summary>
    /// <typeparam name="TFrame">The frame type; a generic so struct frames are not boxed.</typeparam>
    /// <param name="frame">The frame to write.</param>
    /// <param name="output">Where to append the payload.</param>
    public static void Write<TFrame>(in TFrame frame, IBufferWriter<byte> output)
        where TFrame : IWireFrame
    {
        var writer = new MessagePackWriter(output);
        frame.WriteTo(ref writer);
        writer.Flush();
    }
}
