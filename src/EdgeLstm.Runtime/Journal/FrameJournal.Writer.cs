using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>The writer thread: drains the Append queue into segments, syncs per the policy, applies acknowledgements, writes the state file.</summary>
internal sealed partial class FrameJournal
{
    private const string StateTemporaryName = JournalFormat.StateFileName + JournalFormat.TemporarySuffix;
    private const long StateIntervalMs = 1000;
    private const long DiskFullRetryMs = 60_000;
    private const int Enospc = 28;
    private const int Edquot = 122;

    private static readonly long TicksPerMillisecond = Stopwatch.Frequency / 1000;

    // The batch: records framed and CRC'd, written with one call per segment.
    private readonly byte[] _batch;
    private readonly FrameType[] _batchTypes;
    private readonly ulong[] _batchSequences;
    private readonly byte[] _entryHeader = new byte[JournalFormat.RecordHeaderBytes];
    private readonly byte[] _rewrite;
    private readonly RecordWindow _window;
    private int _batchLength;
    private int _batchCount;
    private bool _batchUrgent;

    private Segment? _active;
    private bool _forceRoll;
    private ulong _writtenNext;
    private ulong _sequenceFloor;
    private ulong _persistedNext;
    private long _unsynced;
    private long _unsyncedSince;
    private bool _urgent;
    private bool _directoryDirty;

    private long _processedAckVersion = -1;
    private ulong _ackedCountedNext;

    private byte[] _stateBuffer;
    private byte[][] _stateNames = [];
    private ulong[] _stateAcks = [];
    private bool _stateDirty;
    private long _lastStateWrite;

    private long _diskLimit = long.MaxValue;
    private long _diskLimitSince;

    private bool _writeErrorLogged;
    private bool _syncErrorLogged;
    private bool _stateErrorLogged;
    private bool _internalErrorLogged;

    /// <summary>The bound in force: the configured one, or lower while the disk is full.</summary>
    private long Limit => Math.Min(_options.MaxBytes, _diskLimit);

    private void WriterLoop()
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _flushRequested);
            bool stopping = _stopping;
            bool flushing = ticket > Volatile.Read(ref _flushCompleted) || stopping;
            long now = Stopwatch.GetTimestamp();
            try
            {
                DrainQueue();
                now = Stopwatch.GetTimestamp();
                if ((_unsynced > 0 && (flushing || SyncDue(now))) || (_directoryDirty && flushing))
                {
                    Sync();
                }

                ProcessAcknowledgements();
                if (_evicting && Interlocked.Read(ref _bytes) <= Limit / 4 * 3) EndEvictionEpisode();
                if (_diskLimit != long.MaxValue && now - _diskLimitSince > DiskFullRetryMs * TicksPerMillisecond) _diskLimit = long.MaxValue;
                if (_stateDirty && (flushing || now - _lastStateWrite >= StateIntervalMs * TicksPerMillisecond)) TryWriteState();
                if (stopping && _evicting) EndEvictionEpisode();
            }
#pragma warning disable CA1031 // the writer thread must outlive any bug: an exception here would end the process
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (!_internalErrorLogged)
                {
                    _internalErrorLogged = true;
                    _log.WriteLine($"edgelstm: journal: internal error in the writer ({e.GetType().Name}: {e.Message}); it goes on with the next records");
                }

                // Whatever was in hand is lost, counted; the queue is dropped too, so the loop always moves on.
                Dropped(_batchCount);
                _batchLength = 0;
                _batchCount = 0;
                long head = Volatile.Read(ref _queueHead);
                Dropped(CountQueued(_queueTail, head));
                Volatile.Write(ref _queueTail, head);
            }

            Interlocked.Exchange(ref _writerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            if (ticket > Volatile.Read(ref _flushCompleted))
            {
                Volatile.Write(ref _flushCompleted, ticket);
                lock (_flushLock) Monitor.PulseAll(_flushLock);
            }
            if (stopping && Volatile.Read(ref _queueHead) == _queueTail) return;
            _wake.Wait(WaitMilliseconds(now));
            _wake.Reset();
        }
    }

    /// <summary>The records in the queue between two positions.</summary>
    private int CountQueued(long tail, long head)
    {
        int count = 0;
        for (; tail < head; count++)
        {
            CopyFromQueue(tail, _entryHeader);
            tail += JournalFormat.RecordHeaderBytes + (int)BinaryPrimitives.ReadUInt32LittleEndian(_entryHeader);
        }

        return count;
    }

    private int WaitMilliseconds(long now)
    {
        long ms = 1000;
        if (_unsynced > 0 && _options.SyncIntervalMs > 0)
        {
            ms = Math.Min(ms, _options.SyncIntervalMs - ((now - _unsyncedSince) / TicksPerMillisecond));
        }

        if (_stateDirty)
        {
            ms = Math.Min(ms, StateIntervalMs - ((now - _lastStateWrite) / TicksPerMillisecond));
        }

        return (int)Math.Clamp(ms, 0, 1000);
    }

    private bool SyncDue(long now) =>
        _urgent
        || (_options.SyncEveryFrames > 0 && _unsynced >= _options.SyncEveryFrames)
        || (_options.SyncIntervalMs > 0 && now - _unsyncedSince >= _options.SyncIntervalMs * TicksPerMillisecond);

    /// <summary>Writes every queued record (the batch is written at the end).</summary>
    private void DrainQueue()
    {
        long head = Volatile.Read(ref _queueHead);
        long tail = _queueTail;
        while (tail < head)
        {
            CopyFromQueue(tail, _entryHeader);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_entryHeader);
            var type = (FrameType)_entryHeader[4];
            ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(_entryHeader.AsSpan(5));
            WriteRecord(type, sequence, tail, length);
            tail += JournalFormat.RecordHeaderBytes + length;
            Volatile.Write(ref _queueTail, tail);
        }

        FlushBatch();
    }

    /// <summary>Frames one queued record into the batch, making room and rolling segments as needed.</summary>
    private void WriteRecord(FrameType type, ulong sequence, long queuePosition, int payloadLength)
    {
        int size = payloadLength + JournalFormat.RecordOverhead;
        if (!Reserve(size, sequence))
        {
            Dropped(1);
            return;
        }

        Span<byte> record = _batch.AsSpan(_batchLength, size);
        CopyFromQueue(queuePosition, record[..(JournalFormat.RecordHeaderBytes + payloadLength)]);
        JournalFormat.SealRecord(record, payloadLength);
        _batchTypes[_batchCount] = type;
        _batchSequences[_batchCount] = sequence;
        _batchLength += size;
        _batchCount++;
        _batchUrgent |= type is FrameType.Alarm or FrameType.Hello;
        if (_options.SyncEveryFrames > 0 && _unsynced + _batchCount >= _options.SyncEveryFrames)
        {
            FlushBatch();
            Sync();
        }
    }

    /// <summary>Makes sure the record fits: the batch, the active segment (or a new one), and the bound.</summary>
    private bool Reserve(int size, ulong sequence)
    {
        if (_batchLength + size > _batch.Length) FlushBatch();
        bool roll = NeedsRoll(size);
        long need = size + (roll ? JournalFormat.HeaderBytes : 0);
        if (Interlocked.Read(ref _bytes) + _batchLength + need > Limit)
        {
            FlushBatch();
            if (!MakeRoom(need)) return false;
            roll = NeedsRoll(size);
        }

        if (roll)
        {
            FlushBatch();
            if (!Roll(sequence)) return false;
        }

        return true;
    }

    private bool NeedsRoll(int size) =>
        _active is null || _forceRoll || (_active.Length + _batchLength + size > _options.SegmentBytes && _active.Records + _batchCount > 0);

    /// <summary>Starts a new segment named after <paramref name="sequence"/>; the previous one is synced first, so only the newest segment ever holds unsynced records.</summary>
    private bool Roll(ulong sequence)
    {
        if (_unsynced > 0 || _directoryDirty) Sync();
        if (_unsynced > 0) return false; // the previous segment cannot be synced: keep writing nothing new until it can
        string name = JournalFormat.SegmentName(sequence);
        JournalFile? file = null;
        try
        {
            file = _storage.Create(name);
            Span<byte> header = stackalloc byte[JournalFormat.HeaderBytes];
            JournalFormat.WriteHeader(header, sequence);
            file.Append(header);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            file?.Dispose();
            TryDelete(name);
            WriteFailed(e, name);
            return false;
        }

        var segment = new Segment(name, sequence, file) { Length = JournalFormat.HeaderBytes };
        lock (SegmentLock) _segments.Add(segment);
        Volatile.Write(ref _segmentCount, _segments.Count);
        _active = segment;
        _forceRoll = false;
        _directoryDirty = true;
        Interlocked.Add(ref _bytes, JournalFormat.HeaderBytes);
        return true;
    }

    /// <summary>Writes the batch to the active segment; a full disk makes room and retries once.</summary>
    private void FlushBatch()
    {
        if (_batchCount == 0) return;
        Segment segment = _active!;
        if (!TryAppend(segment, _batch.AsSpan(0, _batchLength), out Exception? failure))
        {
            if (!IsDiskFull(failure) || !DiskFull(_batchLength) || !TryAppend(segment, _batch.AsSpan(0, _batchLength), out failure))
            {
                WriteFailed(failure!, segment.Name);
                Dropped(_batchCount);
                _batchLength = 0;
                _batchCount = 0;
                _batchUrgent = false;
                return;
            }
        }

        ulong ackedCounted = _ackedCountedNext;
        long ackedNew = 0;
        lock (SegmentLock)
        {
            segment.Length += _batchLength;
            for (int i = 0; i < _batchCount; i++)
            {
                segment.Add(_batchTypes[i], _batchSequences[i]);
            }
        }

        for (int i = 0; i < _batchCount; i++)
        {
            ulong sequence = _batchSequences[i];
            if (_batchTypes[i] == FrameType.Hello)
            {
                lock (SegmentLock)
                {
                    _hellos.Add(sequence);
                    _governed.Add(0);
                }

                if (_governedDelta.Length < _hellos.Count) Array.Resize(ref _governedDelta, _hellos.Count * 2);
            }
            else if (_hellos.Count > 0)
            {
                _governed[^1]++;
            }
            else
            {
                _orphans++;
            }

            if (sequence < ackedCounted) ackedNew++;
        }

        _writtenNext = _batchSequences[_batchCount - 1] + 1;
        Interlocked.Add(ref _bytes, _batchLength);
        Interlocked.Add(ref _present, _batchCount);
        Interlocked.Add(ref _ackedPresent, ackedNew);
        Interlocked.Add(ref _written, _batchCount);
        if (_unsynced == 0) _unsyncedSince = Stopwatch.GetTimestamp();
        _unsynced += _batchCount;
        _urgent |= _batchUrgent;
        _batchLength = 0;
        _batchCount = 0;
        _batchUrgent = false;
        _writeErrorLogged = false;
        if (_dropping) EndDropEpisode();
        if (!_storage.IsDurable)
        {
            Interlocked.Add(ref _synced, _unsynced);
            _unsynced = 0;
            _urgent = false;
            PublishDurable(_writtenNext);
        }
    }

    /// <summary>Appends; on failure cuts the file back to what it held, so no partial record stays behind.</summary>
    private bool TryAppend(Segment segment, ReadOnlySpan<byte> bytes, out Exception? failure)
    {
        failure = null;
        try
        {
            segment.File.Append(bytes);
            return true;
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            failure = e;
            try
            {
                segment.File.Truncate(segment.Length);
            }
            catch (Exception again) when (FileErrors.IsFileError(again))
            {
                _forceRoll = true; // its tail may hold part of a record: the next record starts a new segment
            }

            return false;
        }
    }

    /// <summary>Makes what was written durable: fsync of the newest segment, then of the folder if files came or went.</summary>
    private void Sync()
    {
        if (_unsynced == 0 && !_directoryDirty) return;
        try
        {
            if (_unsynced > 0 && _active is not null) _storage.Sync(_active.File);
            if (_directoryDirty)
            {
                _storage.SyncDirectory();
                _directoryDirty = false;
            }
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            if (!_syncErrorLogged)
            {
                _syncErrorLogged = true;
                _log.WriteLine($"edgelstm: journal: cannot sync '{_active?.Name}' in {_storage.Location}: {FileErrors.Describe(e, _storage.Location)}; records stay unsynced (not sent) and the sync is retried");
            }

            return;
        }

        _syncErrorLogged = false;
        Interlocked.Increment(ref _syncs);
        Interlocked.Add(ref _synced, _unsynced);
        _unsynced = 0;
        _urgent = false;
        PublishDurable(_writtenNext);
    }

    private void PublishDurable(ulong next)
    {
        if (next <= Volatile.Read(ref _durableNext)) return;
        Volatile.Write(ref _durableNext, next);
        foreach (JournalReader reader in Volatile.Read(ref _readers))
        {
            reader.Signal();
        }

        lock (_durableLock) Monitor.PulseAll(_durableLock);
    }

    /// <summary>The lowest acknowledgement over the registered consumers; 0 (nothing acknowledged) without consumers.</summary>
    internal ulong MinAckedNext()
    {
        int count = _consumerCount;
        if (count == 0) return 0;
        ulong min = ulong.MaxValue;
        for (int i = 0; i < count; i++)
        {
            min = Math.Min(min, Volatile.Read(ref _ackedNext[i]));
        }

        return min;
    }

    /// <summary>New acknowledgements: count what they cover for Backlog, release whole segments, and mark the state for writing.</summary>
    private void ProcessAcknowledgements()
    {
        long version = Interlocked.Read(ref _ackVersion);
        if (version == _processedAckVersion) return;
        _processedAckVersion = version;
        _stateDirty = true;
        ulong min = MinAckedNext();
        if (min != _ackedCountedNext)
        {
            long acked = min < _ackedCountedNext ? CountPresent(0, min) : Interlocked.Read(ref _ackedPresent) + CountPresent(_ackedCountedNext, min);
            Interlocked.Exchange(ref _ackedPresent, acked);
            _ackedCountedNext = min;
        }

        ReleaseAcknowledged(pressure: false, need: 0);
    }

    /// <summary>Records in the journal with <paramref name="from"/> ≤ sequence &lt; <paramref name="to"/>.</summary>
    private long CountPresent(ulong from, ulong to)
    {
        long count = 0;
        foreach (Segment segment in _segments)
        {
            if (segment.Records == 0 || segment.MaxSequence < from || segment.MinSequence >= to) continue;
            if (segment.MinSequence >= from && segment.MaxSequence < to)
            {
                count += segment.Records;
                continue;
            }

            ForEachRecord(segment, (from, to), static (state, _, sequence, _, _) => sequence >= state.from && sequence < state.to, ref count);
        }

        return count;
    }

    /// <summary>Calls <paramref name="predicate"/> for each record of <paramref name="segment"/> (read with the writer's window) and counts the true ones.</summary>
    private void ForEachRecord<TState>(Segment segment, TState state, Func<TState, FrameType, ulong, long, int, bool> predicate, ref long count)
    {
        long length = segment.Length;
        long offset = JournalFormat.HeaderBytes;
        _window.Invalidate();
        try
        {
            while (offset < length)
            {
                ReadOnlySpan<byte> bytes = _window.Get(segment.File, offset, JournalFormat.MaxRecordBytes, length);
                if (JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength) != RecordStatus.Valid) return;
                int size = payloadLength + JournalFormat.RecordOverhead;
                if (predicate(state, type, sequence, offset, size)) count++;
                offset += size;
            }
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            WriteFailed(e, segment.Name); // a read error: the count stays short (Backlog only)
        }
    }

    /// <summary>Writes the state file if it can; failures are logged once and retried later.</summary>
    private void TryWriteState()
    {
        try
        {
            WriteState();
            _stateErrorLogged = false;
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            _lastStateWrite = Stopwatch.GetTimestamp();
            if (!_stateErrorLogged)
            {
                _stateErrorLogged = true;
                _log.WriteLine($"edgelstm: journal: cannot write its state file in {_storage.Location}: {FileErrors.Describe(e, _storage.Location)}; acknowledgements since the last one would be resent after a restart");
            }
        }
    }

    /// <summary>Replaces the state file atomically: <c>state.tmp</c>, sync, rename, folder sync.</summary>
    private void WriteState()
    {
        int registered = _consumerCount;
        int total = registered + _unregisteredAcks.Count;
        if (_stateNames.Length != total)
        {
            _stateNames = new byte[total][];
            _stateAcks = new ulong[total];
        }

        for (int i = 0; i < registered; i++)
        {
            _stateNames[i] = _consumerNameBytes[i];
            _stateAcks[i] = Volatile.Read(ref _ackedNext[i]);
        }

        lock (_unregisteredAcks)
        {
            for (int i = 0; i < _unregisteredAcks.Count && registered + i < total; i++)
            {
                _stateNames[registered + i] = _unregisteredAcks[i].NameBytes;
                _stateAcks[registered + i] = _unregisteredAcks[i].AckedNext;
            }
        }

        int length = JournalStateFile.EncodedLength(_stateNames);
        if (_stateBuffer.Length < length) _stateBuffer = new byte[length];
        ulong next = Math.Max(_sequenceFloor, _writtenNext);
        int written = JournalStateFile.Encode(_stateBuffer, next, Interlocked.Read(ref _damagedSegments), _evicted, _stateNames, _stateAcks);
        using (JournalFile file = _storage.Create(StateTemporaryName))
        {
            file.Append(_stateBuffer.AsSpan(0, written));
            _storage.Sync(file);
        }

        _storage.Rename(StateTemporaryName, JournalFormat.StateFileName);
        _storage.SyncDirectory();
        _persistedNext = next;
        _stateDirty = false;
        _lastStateWrite = Stopwatch.GetTimestamp();
    }

    private static bool IsDiskFull(Exception? e) => e is IOException { HResult: Enospc or Edquot };

    /// <summary>A write failed for a reason other than room (or room could not be made): logged once until a write succeeds.</summary>
    private void WriteFailed(Exception e, string file)
    {
        if (IsDiskFull(e))
        {
            DiskFull(0);
            return;
        }

        if (_writeErrorLogged) return;
        _writeErrorLogged = true;
        _log.WriteLine($"edgelstm: journal: cannot write '{file}' in {_storage.Location}: {FileErrors.Describe(e, Path.Combine(_storage.Location, file))}; frames are dropped (counted) until a write succeeds");
    }

    private void TryDelete(string name)
    {
        try
        {
            _storage.Delete(name);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            // A leftover file: recovery removes or ignores it.
        }
    }

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A consumer named in the state file but not registered in this run: its acknowledgement is kept and written back.</summary>
    private sealed record UnregisteredConsumer(string Name, byte[] NameBytes, ulong AckedNext);

    private static ReadOnlySpan<T> AsSpan<T>(List<T> list) => CollectionsMarshal.AsSpan(list);
}
