namespace EdgeLstm.Protocol;

/// <summary>
/// Push-style decoder for framed byte streams (<see cref="StreamFrameEncoder"/>'s format). Feed it whatever the
/// transport delivered; it returns one <see cref="DecodeResult"/> per 0x00-terminated frame. Memory is fixed at
/// construction: bytes past <see cref="DecoderLimits.MaxPayloadBytes"/> without a delimiter are dropped, not buffered.
/// </summary>
/// <remarks>
/// Resynchronisation is free: whatever garbage or damage arrives, the next 0x00 ends it, so at most the damaged frame
/// is lost and the frame after it decodes normally. Empty frames (two delimiters in a row) are ignored, which lets a
/// sender start with a 0x00 to flush any half frame left in the receiver.
/// </remarks>
public sealed class StreamFrameDecoder
{
    private readonly DecoderLimits _limits;
    private readonly byte[] _encoded;
    private readonly byte[] _decoded;
    private int _length;
    private bool _overflowed;
    private long _position;
    private long _frameStart;

    /// <summary>Creates a decoder with <see cref="DecoderLimits.Default"/>.</summary>
    public StreamFrameDecoder()
        : this(DecoderLimits.Default)
    {
    }

    /// <summary>Creates a decoder with the given limits.</summary>
    /// <param name="limits">Caps on sizes and nesting.</param>
    public StreamFrameDecoder(DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _encoded = new byte[limits.MaxEncodedFrameBytes];
        _decoded = new byte[limits.MaxEncodedFrameBytes];
    }

    /// <summary>The number of stream bytes consumed so far.</summary>
    public long Position => _position;

    /// <summary>
    /// Consumes <paramref name="input"/> up to and including the first frame delimiter and decodes that frame.
    /// Call again with the rest of the input until it is used up.
    /// </summary>
    /// <param name="input">Bytes from the stream.</param>
    /// <param name="consumed">How many bytes of <paramref name="input"/> were used.</param>
    /// <param name="result">The frame or error, when the method returns true.</param>
    /// <returns>True when a frame ended inside <paramref name="input"/>.</returns>
    public bool TryDecodeNext(ReadOnlySpan<byte> input, out int consumed, out DecodeResult result)
    {
        consumed = 0;
        result = default;
        while (consumed < input.Length)
        {
            ReadOnlySpan<byte> rest = input[consumed..];
            int delimiter = rest.IndexOf(StreamFrameEncoder.Delimiter);
            int take = delimiter < 0 ? rest.Length : delimiter;
            Append(rest[..take], _position + consumed);
            consumed += take;
            if (delimiter < 0)
            {
                break;
            }

            consumed++;
            if (_length == 0 && !_overflowed)
            {
                continue;
            }

            result = CompleteFrame();
            _position += consumed;
            return true;
        }

        _position += consumed;
        return false;
    }

    /// <summary>Call at end of stream: reports a frame that was started but never ended.</summary>
    /// <param name="result">A <see cref="FrameErrorKind.TruncatedStream"/> error, when the method returns true.</param>
    /// <returns>True when the stream ended inside a frame.</returns>
    public bool TryFinish(out DecodeResult result)
    {
        result = default;
        if (_length == 0 && !_overflowed)
        {
            return false;
        }

        long pending = _position - _frameStart;
        result = DecodeResult.FromError(new FrameError(
            FrameErrorKind.TruncatedStream,
            $"the stream ended {pending} bytes into a frame, before its 0x00 delimiter"))
            .AtStreamOffset(_frameStart);
        Reset();
        return true;
    }

    private void Append(ReadOnlySpan<byte> bytes, long streamOffset)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_length == 0 && !_overflowed)
        {
            _frameStart = streamOffset;
        }

        if (_overflowed)
        {
            return;
        }

        if (_length + bytes.Length > _encoded.Length)
        {
            // Drop what we have and everything up to the next delimiter: memory stays bounded.
            _overflowed = true;
            _length = 0;
            return;
        }

        bytes.CopyTo(_encoded.AsSpan(_length));
        _length += bytes.Length;
    }

    private DecodeResult CompleteFrame()
    {
        DecodeResult result = DecodeFrame().AtStreamOffset(_frameStart);
        Reset();
        return result;
    }

    private DecodeResult DecodeFrame()
    {
        if (_overflowed)
        {
            return DecodeResult.FromError(new FrameError(
                FrameErrorKind.FrameTooLong,
                $"no 0x00 delimiter within {_encoded.Length} bytes (limit from MaxPayloadBytes {_limits.MaxPayloadBytes}); skipped to the next delimiter"));
        }

        if (!Cobs.TryDecode(_encoded.AsSpan(0, _length), _decoded, out int length, out int errorOffset))
        {
            return DecodeResult.FromError(new FrameError(
                FrameErrorKind.InvalidCobs,
                $"COBS code byte at frame byte {errorOffset} points past the end of the {_length}-byte frame"));
        }

        if (length < Crc16Ccitt.Size + 1)
        {
            return DecodeResult.FromError(new FrameError(
                FrameErrorKind.FrameTooShort,
                $"{length} bytes after COBS decoding; a frame needs at least 1 payload byte and a {Crc16Ccitt.Size}-byte CRC"));
        }

        ReadOnlySpan<byte> block = _decoded.AsSpan(0, length);
        if (!Crc16Ccitt.Verify(block))
        {
            ushort sent = (ushort)((block[^2] << 8) | block[^1]);
            ushort computed = Crc16Ccitt.Compute(block[..^Crc16Ccitt.Size]);
            return DecodeResult.FromError(new FrameError(
                FrameErrorKind.CrcMismatch,
                $"CRC-16 in the frame is 0x{sent:X4} but the {length - Crc16Ccitt.Size}-byte payload gives 0x{computed:X4}"));
        }

        return PayloadDecoder.Decode(_decoded.AsMemory(0, length - Crc16Ccitt.Size), _limits);
    }

    private void Reset()
    {
        _length = 0;
        _overflowed = false;
    }
}
