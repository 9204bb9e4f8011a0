using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// Reads durable records for one consumer thread, in sequence order, skipping what that consumer acknowledged and
/// what was evicted. Keeps its place between calls, so reading on in order reads each segment once; allocates
/// nothing per record. One per thread (<see cref="FrameJournal.OpenReader"/>).
/// </summary>
internal sealed class JournalReader : IDisposable
{
    private const int WindowBytes = 16 << 10;

    private readonly FrameJournal _journal;
    private readonly int _consumer;
    private readonly RecordWindow _window = new(WindowBytes);
    private readonly AutoResetEvent _durable = new(false);
    private Segment? _segment;
    private int _generation;
    private long _offset;
    private ulong _positionNext;

    internal JournalReader(FrameJournal journal, int consumer)
    {
        _journal = journal;
        _consumer = consumer;
    }

    /// <summary>Set (auto-reset) whenever more records become durable, and at shutdown: wait on it, with a stop handle, when <see cref="TryReadNext"/> returns false.</summary>
    public WaitHandle Durable => _durable;

    /// <summary>
    /// Reads the next durable record with a sequence of at least <paramref name="next"/> into <paramref name="buffer"/>
    /// (its payload; 4 KiB always suffices), skipping acknowledged and evicted ones, and sets <paramref name="next"/>
    /// past it. False when there is none yet (<paramref name="next"/> is then moved past what this consumer acknowledged).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is shorter than the record's payload.</exception>
    public bool TryReadNext(ref ulong next, Span<byte> buffer, out JournalRecord record)
    {
        lock (_journal.SegmentLock)
        {
            ulong start = Math.Max(next, Acknowledged());
            ulong limit = _journal.DurableNext;
            next = start;
            record = default;
            if (start >= limit) return false;
            if (_segment is null || _segment.Removed || _segment.Generation != _generation || _positionNext > start || !Contains(_segment, start))
            {
                if (!Seek(start)) return false;
            }

            while (true)
            {
                long length = _segment!.Length;
                if (_offset >= length)
                {
                    if (!NextSegment()) return false;
                    continue;
                }

                ReadOnlySpan<byte> bytes = _window.Get(_segment.File, _offset, JournalFormat.MaxRecordBytes, length);
                if (JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength) != RecordStatus.Valid)
                {
                    // Bytes changed after they were written (a failing card): what follows in this segment cannot be found.
                    if (!NextSegment()) return false;
                    continue;
                }

                if (sequence >= limit) return false;
                if (sequence >= start) ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, payloadLength, nameof(buffer));
                _offset += payloadLength + JournalFormat.RecordOverhead;
                _positionNext = sequence + 1;
                if (sequence < start) continue;
                bytes.Slice(JournalFormat.RecordHeaderBytes, payloadLength).CopyTo(buffer);
                record = new JournalRecord(type, sequence, payloadLength);
                next = sequence + 1;
                return true;
            }
        }
    }

    /// <summary>Reads the durable record with exactly <paramref name="sequence"/>, acknowledged or not; false when it is not (or no longer) in the journal.</summary>
    public bool TryRead(ulong sequence, Span<byte> buffer, out JournalRecord record)
    {
        lock (_journal.SegmentLock)
        {
            record = default;
            if (sequence >= _journal.DurableNext) return false;
            Segment? segment = _journal.SegmentOf(sequence);
            if (segment is null || segment.Records == 0 || sequence < segment.MinSequence || sequence > segment.MaxSequence) return false;
            long length = segment.Length;
            for (long offset = JournalFormat.HeaderBytes; offset < length;)
            {
                ReadOnlySpan<byte> bytes = _window.Get(segment.File, offset, JournalFormat.MaxRecordBytes, length);
                if (JournalFormat.ReadRecord(bytes, out FrameType type, out ulong found, out int payloadLength) != RecordStatus.Valid || found > sequence) return false;
                if (found == sequence)
                {
                    ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, payloadLength, nameof(buffer));
                    bytes.Slice(JournalFormat.RecordHeaderBytes, payloadLength).CopyTo(buffer);
                    record = new JournalRecord(type, found, payloadLength);
                    return true;
                }

                offset += payloadLength + JournalFormat.RecordOverhead;
            }

            return false;
        }
    }

    /// <summary>
    /// The latest Hello record before <paramref name="sequence"/>: its epoch and labels give that frame its meaning,
    /// so a sender resends it before old frames after a reconnect. The journal keeps it as long as any record it governs.
    /// </summary>
    public bool TryGetGoverningHello(ulong sequence, Span<byte> buffer, out JournalRecord hello)
    {
        ulong helloSequence;
        lock (_journal.SegmentLock)
        {
            int index = _journal.GoverningIndex(sequence);
            hello = default;
            if (index < 0) return false;
            helloSequence = _journal.HelloSequences[index];
        }

        return TryRead(helloSequence, buffer, out hello);
    }

    /// <summary>
    /// The sequences of durable Alarm records this consumer has not acknowledged, oldest first, so a sender can send
    /// them ahead of a backlog. Fills at most <paramref name="sequences"/>' length; returns how many it wrote.
    /// </summary>
    public int UnacknowledgedAlarms(Span<ulong> sequences)
    {
        int count = 0;
        lock (_journal.SegmentLock)
        {
            ulong acked = Acknowledged();
            ulong limit = _journal.DurableNext;
            foreach (Segment segment in _journal.Segments)
            {
                if (segment.Kinds[(int)FrameType.Alarm] == 0 || segment.MaxSequence < acked) continue;
                long length = segment.Length;
                for (long offset = JournalFormat.HeaderBytes; offset < length && count < sequences.Length;)
                {
                    ReadOnlySpan<byte> bytes = _window.Get(segment.File, offset, JournalFormat.MaxRecordBytes, length);
                    if (JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength) != RecordStatus.Valid || sequence >= limit) break;
                    if (type == FrameType.Alarm && sequence >= acked) sequences[count++] = sequence;
                    offset += payloadLength + JournalFormat.RecordOverhead;
                }

                if (count == sequences.Length) break;
            }
        }

        return count;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _journal.RemoveReader(this);
        _durable.Dispose();
    }

    /// <summary>Wakes a waiting reader thread (new durable records, or shutdown).</summary>
    internal void Signal()
    {
        try
        {
            _durable.Set();
        }
        catch (ObjectDisposedException)
        {
            // The reader was disposed; nothing waits on it.
        }
    }

    private ulong Acknowledged() => _consumer < 0 ? 0 : _journal.AcknowledgedNext(_consumer);

    private static bool Contains(Segment segment, ulong sequence) => segment.FirstSequence <= sequence;

    /// <summary>Places the reader at the start of the segment that holds <paramref name="sequence"/> (or the first one after it).</summary>
    private bool Seek(ulong sequence)
    {
        int index = _journal.SegmentIndex(sequence);
        if (index < 0) return false;
        SetSegment(_journal.Segments[index]);
        return true;
    }

    private bool NextSegment()
    {
        List<Segment> segments = _journal.Segments;
        int index = segments.IndexOf(_segment!);
        if (index < 0 || index + 1 >= segments.Count)
        {
            // Stay at the end of this one: the writer may still append to it.
            return false;
        }

        SetSegment(segments[index + 1]);
        return true;
    }

    private void SetSegment(Segment segment)
    {
        _segment = segment;
        _generation = segment.Generation;
        _offset = JournalFormat.HeaderBytes;
        _positionNext = 0;
        _window.Invalidate();
    }
}
