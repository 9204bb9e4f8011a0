using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Push-style decoder for framed byte streams (<see cref="StreamFrameEncoder"/>'s format). Feed it whatever the
/// transport delivered; it returns one <see cref="DecodeResult"/> per 0x00-terminated frame. Memory is fixed at
/// construction: a run without delimiter longer than the largest allowed frame keeps only its tail.
/// </summary>
/// <remarks>
/// <para>Resynchronisation: the next 0x00 always ends whatever damage came before it. When a block fails (bad COBS,
/// bad CRC, too long, malformed payload), the decoder also looks for a valid frame at the block's tail, because garbage, a truncated
/// frame or a corrupted delimiter glues the damage onto the front of the next intact frame. So at most the damaged
/// frame is lost. A tail counts only when its CRC matches and its payload decodes. Tails are tried shortest
/// first (the intact frame is usually short and at the very end), and the work per bad block is capped at
/// <see cref="RecoveryWorkFactor"/> times the largest frame size, so hostile input cannot make it expensive.</para>
/// <para>Empty frames (two delimiters in a row) are ignored, which lets a sender start with a 0x00 to flush any half
/// frame left in the receiver.</para>
/// <para>Not thread-safe: one decoder per stream.</para>
/// </remarks>
public sealed class StreamFrameDecoder
{
    /// <summary>
    /// The tail search of one bad block COBS-decodes and CRC-checks at most this many times the largest frame's
    /// bytes (128 KiB with the default limits) before giving up.
    /// </summary>
    public const int RecoveryWorkFactor = 32;

    private readonly DecoderLimits _limits;
    private readonly byte[] _encoded;
    private readonly byte[] _decoded;
    private readonly bool[] _chainEndsAtBlockEnd;
    private int _length;
    private bool _overflowed;
    private long _position;
    private long _frameStart;
    private DecodeResult _pending;
    private bool _hasPending;

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
        _chainEndsAtBlockEnd = new bool[limits.MaxEncodedFrameBytes + 1];
    }

    /// <summary>The number of stream bytes consumed so far.</summary>
    public long Position => _position;

    /// <summary>
    /// Consumes <paramref name="input"/> up to and including the next frame delimiter and decodes that frame.
    /// Call it in a loop, passing the unconsumed rest each time, until it returns false: one bad block can yield
    /// two results (its error, then a frame recovered from its tail).
    /// </summary>
    /// <param name="input">Bytes from the stream (may be empty).</param>
    /// <param name="consumed">How many bytes of <paramref name="input"/> were used.</param>
    /// <param name="result">The frame or error, when the method returns true.</param>
    /// <returns>True when a result is available; false when all input was consumed without completing one.</returns>
    public bool TryDecodeNext(ReadOnlySpan<byte> input, out int consumed, out DecodeResult result)
    {
        consumed = 0;
        if (_hasPending)
        {
            _hasPending = false;
            result = _pending;
            return true;
        }

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

            long delimiterOffset = _position + consumed;
            consumed++;
            if (_length == 0 && !_overflowed)
            {
                continue;
            }

            result = CompleteBlock(delimiterOffset);
            _position += consumed;
            return true;
        }

        _position += consumed;
        return false;
    }

    /// <summary>
    /// Call at end of stream, until it returns false: yields a result still pending from the last block, then
    /// reports a frame that was started but never ended.
    /// </summary>
    /// <param name="result">The pending result or a <see cref="FrameErrorKind.TruncatedStream"/> error, when the method returns true.</param>
    /// <returns>True when there was something left to report.</returns>
    public bool TryFinish(out DecodeResult result)
    {
        if (_hasPending)
        {
            _hasPending = false;
            result = _pending;
            return true;
        }

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

        if (_length + bytes.Length <= _encoded.Length)
        {
            bytes.CopyTo(_encoded.AsSpan(_length));
            _length += bytes.Length;
            return;
        }

        // Too long for any frame: keep only the newest bytes, where the next intact frame may already begin.
        _overflowed = true;
        if (bytes.Length >= _encoded.Length)
        {
            bytes[^_encoded.Length..].CopyTo(_encoded);
        }
        else
        {
            int keep = _encoded.Length - bytes.Length;
            _encoded.AsSpan(_length - keep, keep).CopyTo(_encoded);
            bytes.CopyTo(_encoded.AsSpan(keep));
        }

        _length = _encoded.Length;
    }

    private DecodeResult CompleteBlock(long delimiterOffset)
    {
        DecodeResult result;
        if (_overflowed)
        {
            result = DecodeResult.FromError(new FrameError(
                FrameErrorKind.FrameTooLong,
                $"{delimiterOffset - _frameStart} bytes without a 0x00 delimiter; the limit is {_encoded.Length} (from MaxPayloadBytes {_limits.MaxPayloadBytes})"));
        }
        else if (!TryUnframe(_encoded.AsSpan(0, _length), describeErrors: true, out int payloadLength, out FrameError framingError))
        {
            result = DecodeResult.FromError(framingError);
        }
        else
        {
            result = PayloadDecoder.Decode(_decoded.AsMemory(0, payloadLength), _limits);
        }

        result = result.AtStreamOffset(_frameStart);

        // Payload errors count too: one damaged block in 65536 passes the CRC by chance, and the intact frame
        // glued to its end must not be lost with it.
        if (result.Status == DecodeStatus.Malformed)
        {
            _hasPending = TryRecoverTail(delimiterOffset, out _pending);
        }

        Reset();
        return result;
    }

    /// <summary>COBS-decodes a block into <see cref="_decoded"/> and checks its CRC.</summary>
    /// <remarks>The tail search passes <paramref name="describeErrors"/> = false: its many failures need no message.</remarks>
    private bool TryUnframe(ReadOnlySpan<byte> block, bool describeErrors, out int payloadLength, out FrameError error)
    {
        payloadLength = 0;
        error = default;
        bool decoded = Cobs.TryDecode(block, _decoded, out int length, out int errorOffset);
        if (!describeErrors)
        {
            payloadLength = length - Crc16Ccitt.Size;
            return decoded && length >= Crc16Ccitt.Size + 1 && Crc16Ccitt.Verify(_decoded.AsSpan(0, length));
        }

        if (!decoded)
        {
            error = new FrameError(
                FrameErrorKind.InvalidCobs,
                $"COBS code byte at frame byte {errorOffset} points past the end of the {block.Length}-byte frame");
            return false;
        }

        if (length < Crc16Ccitt.Size + 1)
        {
            error = new FrameError(
                FrameErrorKind.FrameTooShort,
                $"{length} bytes after COBS decoding; a frame needs at least 1 payload byte and a {Crc16Ccitt.Size}-byte CRC");
            return false;
        }

        ReadOnlySpan<byte> checkedBlock = _decoded.AsSpan(0, length);
        if (!Crc16Ccitt.Verify(checkedBlock))
        {
            ushort sent = (ushort)((checkedBlock[^2] << 8) | checkedBlock[^1]);
            ushort computed = Crc16Ccitt.Compute(checkedBlock[..^Crc16Ccitt.Size]);
            error = new FrameError(
                FrameErrorKind.CrcMismatch,
                $"CRC-16 in the frame is 0x{sent:X4} but the {length - Crc16Ccitt.Size}-byte payload gives 0x{computed:X4}");
            return false;
        }

        payloadLength = length - Crc16Ccitt.Size;
        return true;
    }

    /// <summary>Finds the shortest proper tail of the bad block that is a whole valid frame.</summary>
    private bool TryRecoverTail(long delimiterOffset, out DecodeResult recovered)
    {
        recovered = default;
        ReadOnlySpan<byte> block = _encoded.AsSpan(0, _length);
        int n = block.Length;

        // A tail can only be a frame if its chain of COBS code bytes ends exactly at the block's end; one backward
        // pass marks every such start, so each candidate costs a COBS decode and CRC only when it passes the cheap checks.
        bool[] endsAtBlockEnd = _chainEndsAtBlockEnd;
        endsAtBlockEnd[n] = true;
        for (int k = n - 1; k >= 1; k--)
        {
            int next = k + block[k];
            endsAtBlockEnd[k] = next == n || (next < n && endsAtBlockEnd[next]);
        }

        long budget = (long)RecoveryWorkFactor * _encoded.Length;
        for (int k = n - Crc16Ccitt.Size - 1; k >= 1; k--)
        {
            // Every payload starts with its array header (fixarray, array16 or array32).
            if (!endsAtBlockEnd[k] || block[k] < 2 || !IsArrayHeader(block[k + 1]))
            {
                continue;
            }

            budget -= n - k;
            if (budget < 0)
            {
                return false;
            }

            if (!TryUnframe(block[k..], describeErrors: false, out int payloadLength, out _))
            {
                continue;
            }

            // A CRC-16 also matches one random tail in 65536; demanding a well-formed frame as well keeps such
            // a false start from being taken for the real frame.
            DecodeResult candidate = PayloadDecoder.Decode(_decoded.AsMemory(0, payloadLength), _limits);
            if (candidate.Status != DecodeStatus.Malformed)
            {
                recovered = candidate.AtStreamOffset(delimiterOffset - (n - k));
                return true;
            }
        }

        return false;
    }

    // An empty fixarray cannot be a frame (it has no tag), so it is not a candidate.
    private static bool IsArrayHeader(byte code) =>
        code is (> MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray) or MessagePackCode.Array16 or MessagePackCode.Array32;

    private void Reset()
    {
        _length = 0;
        _overflowed = false;
    }
}
