using System.Buffers;

namespace EdgeLstm.Protocol;

/// <summary>
/// Frames for byte streams (TCP, files, serial links): <c>COBS(payload ‖ CRC-16 big-endian) ‖ 0x00</c>.
/// One instance per sending thread; it reuses one scratch buffer, so encoding allocates nothing after the first
/// frame of each size.
/// </summary>
/// <remarks>
/// COBS leaves 0x00 only at frame ends, so a reader that lost its place waits for the next 0x00 and loses at most
/// the damaged frame; the CRC rejects frames whose bytes were changed in transit.
/// </remarks>
public sealed class StreamFrameEncoder
{
    /// <summary>The byte that ends every frame on a stream.</summary>
    public const byte Delimiter = 0x00;

    private readonly ArrayBufferWriter<byte> _scratch;
    private readonly int _maxPayloadBytes;

    /// <summary>Creates an encoder that refuses payloads longer than decoders accept by default.</summary>
    public StreamFrameEncoder()
        : this(DecoderLimits.Default.MaxPayloadBytes)
    {
    }

    /// <summary>Creates an encoder that refuses payloads longer than <paramref name="maxPayloadBytes"/>.</summary>
    /// <param name="maxPayloadBytes">Keep it at or below the collector's <see cref="DecoderLimits.MaxPayloadBytes"/>.</param>
    public StreamFrameEncoder(int maxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        _maxPayloadBytes = maxPayloadBytes;
        _scratch = new ArrayBufferWriter<byte>(Math.Min(maxPayloadBytes, 256) + Crc16Ccitt.Size);
    }

    /// <summary>Appends one framed frame to <paramref name="output"/>.</summary>
    /// <typeparam name="TFrame">The frame type; a generic so struct frames are not boxed.</typeparam>
    /// <param name="frame">The frame to send.</param>
    /// <param name="output">Where to append the frame, e.g. a reused <see cref="ArrayBufferWriter{T}"/>.</param>
    /// <returns>The number of bytes appended, delimiter included.</returns>
    /// <exception cref="InvalidOperationException">The payload is longer than the configured maximum.</exception>
    public int Write<TFrame>(in TFrame frame, IBufferWriter<byte> output)
        where TFrame : IWireFrame
    {
        ArgumentNullException.ThrowIfNull(output);
        _scratch.ResetWrittenCount();
        PayloadEncoder.Write(frame, _scratch);
        return Frame(frame.Type, output);
    }

    /// <summary>
    /// Appends an already encoded payload (e.g. one read back from a journal) as one framed frame, so a payload
    /// written once can be framed again for every resend without decoding it.
    /// </summary>
    /// <param name="payload">Exactly one frame's MessagePack bytes.</param>
    /// <param name="output">Where to append the frame.</param>
    /// <returns>The number of bytes appended, delimiter included.</returns>
    /// <exception cref="InvalidOperationException">The payload is longer than the configured maximum.</exception>
    public int WritePayload(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _scratch.ResetWrittenCount();
        _scratch.Write(payload);
        return Frame(null, output);
    }

    private int Frame(FrameType? type, IBufferWriter<byte> output)
    {
        int payloadLength = _scratch.WrittenCount;
        if (payloadLength > _maxPayloadBytes)
        {
            throw new InvalidOperationException(
                $"{(type is { } known ? known.ToString() : "stored")} frame payload is {payloadLength} bytes; the limit is {_maxPayloadBytes}. Shorten its strings or arrays.");
        }

        // GetSpan first: it may move the buffer, and the CRC must be read from where the payload now is.
        Span<byte> crc = _scratch.GetSpan(Crc16Ccitt.Size);
        Crc16Ccitt.Write(_scratch.WrittenSpan, crc);
        _scratch.Advance(Crc16Ccitt.Size);

        ReadOnlySpan<byte> block = _scratch.WrittenSpan;
        Span<byte> destination = output.GetSpan(Cobs.MaxEncodedLength(block.Length) + 1);
        int written = Cobs.Encode(block, destination);
        destination[written++] = Delimiter;
        output.Advance(written);
        return written;
    }
}
