namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// A bounded queue of whole frames between one producing thread (sampling) and one consuming thread (a sink's
/// writer): a byte ring and a ring of frame lengths, both allocated once. <see cref="TryEnqueue"/> never blocks on
/// the consumer's I/O (only on the short lock) and refuses a frame when full, so the caller counts it as dropped.
/// </summary>
internal sealed class FrameQueue : IDisposable
{
    private readonly object _lock = new();
    private readonly byte[] _ring;
    private readonly int[] _lengths;
    private readonly AutoResetEvent _wake = new(false);
    private int _start, _bytes;     // ring: first byte, bytes queued
    private int _first, _frames;    // lengths: first frame, frames queued

    /// <summary>Creates a queue of at most <paramref name="capacityBytes"/> bytes and <paramref name="maxFrames"/> frames.</summary>
    public FrameQueue(int capacityBytes, int maxFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 1);
        _ring = new byte[capacityBytes];
        _lengths = new int[maxFrames];
    }

    /// <summary>Frames waiting.</summary>
    public int Count
    {
        get { lock (_lock) return _frames; }
    }

    /// <summary>Signalled when a frame is enqueued; the consumer waits on it.</summary>
    public WaitHandle Enqueued => _wake;

    /// <summary>Copies <paramref name="frame"/> in and wakes the consumer; false when it does not fit (nothing is changed).</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        lock (_lock)
        {
            if (frame.Length > _ring.Length - _bytes || _frames == _lengths.Length) return false;
            int end = (_start + _bytes) % _ring.Length;
            int first = Math.Min(frame.Length, _ring.Length - end);
            frame[..first].CopyTo(_ring.AsSpan(end));
            frame[first..].CopyTo(_ring);
            _bytes += frame.Length;
            _lengths[(_first + _frames) % _lengths.Length] = frame.Length;
            _frames++;
        }
        _wake.Set();
        return true;
    }

    /// <summary>
    /// Moves as many whole frames as fit into <paramref name="destination"/> (at least one when the first fits) and
    /// returns the bytes moved; <paramref name="frames"/> says how many frames that was.
    /// </summary>
    public int Dequeue(Span<byte> destination, out int frames)
    {
        lock (_lock)
        {
            int count = 0;
            frames = 0;
            while (_frames > 0)
            {
                int length = _lengths[_first];
                if (count + length > destination.Length) break;
                int first = Math.Min(length, _ring.Length - _start);
                _ring.AsSpan(_start, first).CopyTo(destination[count..]);
                _ring.AsSpan(0, length - first).CopyTo(destination[(count + first)..]);
                _first = (_first + 1) % _lengths.Length;
                _frames--;
                _start = (_start + length) % _ring.Length;
                _bytes -= length;
                count += length;
                frames++;
            }
            return count;
        }
    }

    /// <summary>Wakes a waiting consumer without a frame (shutdown).</summary>
    public void Wake() => _wake.Set();

    /// <inheritdoc />
    public void Dispose() => _wake.Dispose();
}
