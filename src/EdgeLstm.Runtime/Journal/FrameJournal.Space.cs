using System.Diagnostics;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// Staying within the bound: acknowledged records go first (whole segments deleted, or segments rewritten without
/// them), then unacknowledged ones by priority, oldest segment first. A Hello is kept while any kept record lies
/// between it and the next Hello (it gives that record its meaning), and the newest Hello always.
/// </summary>
internal sealed partial class FrameJournal
{
    private static readonly FrameType[] EvictionOrder = [FrameType.Prediction, FrameType.Health, FrameType.Alarm, FrameType.Event, FrameType.Hello];
    private static readonly string[] EvictionPlurals = ["Predictions", "Health records", "Alarms", "Events", "Hellos"];

    // Hello records in the journal, in order, and how many non-Hello records each governs (the records after it,
    // before the next Hello). Changed by the writer; readers look the list up under the segment lock.
    private readonly List<ulong> _hellos = new(64);
    private readonly List<int> _governed = new(64);
    private int[] _governedDelta;
    private bool[] _helloDrop = new bool[64];
    private readonly long[] _dropEvicted = new long[JournalFormat.KindSlots];
    private int _orphans;

    private bool _evicting;
    private int _evictingRank;
    private readonly long[] _episodeEvicted = new long[JournalFormat.KindSlots];
    private bool _dropping;
    private long _droppingCount;
    private bool _diskFullLogged;

    private bool Fits(long need) => Interlocked.Read(ref _bytes) + need <= Limit;

    /// <summary>Frees room for <paramref name="need"/> more bytes: acknowledged records, then evictions by priority. False when even that is not enough.</summary>
    private bool MakeRoom(long need)
    {
        if (Fits(need)) return true;
        if (_unsynced > 0) Sync();
        ReleaseAcknowledged(pressure: true, need);
        for (int rank = 0; rank < EvictionOrder.Length && !Fits(need); rank++)
        {
            FrameType kind = EvictionOrder[rank];
            while (!Fits(need))
            {
                Segment? candidate = EvictionCandidate(kind);
                if (candidate is null) break;
                StartEviction(rank);
                if (!RemoveRecords(candidate, kind)) return Fits(need);
            }
        }

        if (Fits(need)) return true;
        NoRoom();
        return false;
    }

    /// <summary>
    /// Deletes or rewrites segments whose records every consumer acknowledged. Without pressure only whole segments
    /// before the newest go (cheap, after each acknowledgement); under pressure, also the acknowledged part of any segment.
    /// </summary>
    private void ReleaseAcknowledged(bool pressure, long need)
    {
        ulong acked = MinAckedNext();
        if (acked == 0) return;
        for (int i = 0; i < _segments.Count;)
        {
            if (pressure && Fits(need)) return;
            Segment segment = _segments[i];
            bool newest = i == _segments.Count - 1;
            if (segment.Records > 0 && segment.MinSequence >= acked) return;
            bool whole = segment.Records == 0 || segment.MaxSequence < acked;
            if ((pressure || (whole && !newest)) && !OnlyNeededHellos(segment) && RemoveRecords(segment, 0) && segment.Removed) continue;
            i++;
        }
    }

    /// <summary>True when every record of the segment is a Hello that must stay.</summary>
    private bool OnlyNeededHellos(Segment segment)
    {
        if (segment.Records == 0 || segment.Records != segment.Kinds[(int)FrameType.Hello]) return false;
        (int from, int to) = HelloRange(segment);
        for (int i = from; i < to; i++)
        {
            if (!HelloNeeded(i, 0)) return false;
        }

        return true;
    }

    /// <summary>The oldest segment holding a record of <paramref name="kind"/> that may be evicted.</summary>
    private Segment? EvictionCandidate(FrameType kind)
    {
        if (kind != FrameType.Hello)
        {
            foreach (Segment segment in _segments)
            {
                if (segment.Kinds[(int)kind] > 0) return segment;
            }

            return null;
        }

        for (int i = 0; i < _hellos.Count - 1; i++)
        {
            if (_governed[i] == 0) return SegmentOf(_hellos[i]);
        }

        return null;
    }

    /// <summary>The segment that holds (or would hold) <paramref name="sequence"/>.</summary>
    internal Segment? SegmentOf(ulong sequence)
    {
        int index = SegmentIndex(sequence);
        return index < 0 ? null : _segments[index];
    }

    /// <summary>The index of the last segment whose first sequence is at most <paramref name="sequence"/> (0 when it is below all; -1 when there is none).</summary>
    internal int SegmentIndex(ulong sequence)
    {
        int low = 0;
        int high = _segments.Count - 1;
        if (high < 0) return -1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_segments[middle].FirstSequence <= sequence) low = middle;
            else high = middle - 1;
        }

        return low;
    }

    /// <summary>The Hello list indices [from, to) of the Hellos in <paramref name="segment"/>.</summary>
    private (int From, int To) HelloRange(Segment segment)
    {
        ReadOnlySpan<ulong> hellos = AsSpan(_hellos);
        int from = LowerBound(hellos, segment.FirstSequence);
        int to = segment.Records == 0 ? from : LowerBound(hellos, segment.MaxSequence + 1);
        return (from, to);
    }

    private static int LowerBound(ReadOnlySpan<ulong> sorted, ulong value)
    {
        int index = sorted.BinarySearch(value);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The index of the Hello that governs <paramref name="sequence"/> (the last Hello before it), or -1.</summary>
    internal int GoverningIndex(ulong sequence) => LowerBound(AsSpan(_hellos), sequence) - 1;

    /// <summary>Must Hello <paramref name="index"/> stay, once <paramref name="delta"/>'s records are gone? The newest always does.</summary>
    private bool HelloNeeded(int index, int delta) => index == _hellos.Count - 1 || _governed[index] - delta > 0;

    /// <summary>
    /// Removes from <paramref name="segment"/> every acknowledged record and every record of <paramref name="evict"/>
    /// (0: none), except Hellos that must stay: deletes the file when nothing is left (never the newest segment), else
    /// writes a temporary segment, syncs it, renames it over and syncs the folder. False when nothing could be removed.
    /// </summary>
    private bool RemoveRecords(Segment segment, FrameType evict)
    {
        ulong acked = MinAckedNext();
        bool newest = segment == _segments[^1];
        int hellos = _hellos.Count;
        Array.Clear(_governedDelta, 0, hellos);
        Array.Clear(_dropEvicted);
        int orphanDelta = 0;
        long dropped = 0;
        long droppedAckedPresent = 0;

        // Pass 1: which non-Hello records go, and what that takes from each Hello's count.
        long length = segment.Length;
        long offset = JournalFormat.HeaderBytes;
        _window.Invalidate();
        while (offset < length)
        {
            ReadOnlySpan<byte> bytes;
            try
            {
                bytes = _window.Get(segment.File, offset, JournalFormat.MaxRecordBytes, length);
            }
            catch (Exception e) when (FileErrors.IsFileError(e))
            {
                WriteFailed(e, segment.Name);
                return false;
            }

            if (JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength) != RecordStatus.Valid)
            {
                return false; // changed under the journal (media error): leave it to the next start's recovery
            }

            offset += payloadLength + JournalFormat.RecordOverhead;
            if (type == FrameType.Hello || (sequence >= acked && type != evict)) continue;
            dropped++;
            if (sequence >= acked) _dropEvicted[(int)type]++;
            if (sequence < _ackedCountedNext) droppedAckedPresent++;
            int governing = GoverningIndex(sequence);
            if (governing >= 0) _governedDelta[governing]++;
            else orphanDelta++;
        }

        (int helloFrom, int helloTo) = HelloRange(segment);
        if (_helloDrop.Length < hellos) _helloDrop = new bool[_governedDelta.Length];
        for (int i = helloFrom; i < helloTo; i++)
        {
            ulong sequence = _hellos[i];
            _helloDrop[i] = (sequence < acked || evict == FrameType.Hello) && !HelloNeeded(i, _governedDelta[i]);
            if (!_helloDrop[i]) continue;
            dropped++;
            if (sequence >= acked) _dropEvicted[(int)FrameType.Hello]++;
            if (sequence < _ackedCountedNext) droppedAckedPresent++;
        }

        if (dropped == 0 && !(segment.Records == 0 && !newest)) return false;
        if (!PersistFloorBefore(segment)) return false;
        long kept = segment.Records - dropped;
        long newLength;
        if (kept == 0 && !newest)
        {
            lock (SegmentLock)
            {
                _segments.Remove(segment);
                segment.Removed = true;
                segment.File.Dispose();
            }

            Volatile.Write(ref _segmentCount, _segments.Count);

            TryDelete(segment.Name);
            _directoryDirty = true;
            newLength = 0;
        }
        else if (!Rewrite(segment, evict, acked, helloFrom, out newLength))
        {
            return false;
        }

        // Bookkeeping once the files say so.
        Interlocked.Add(ref _bytes, newLength - length);
        Interlocked.Add(ref _present, -dropped);
        Interlocked.Add(ref _ackedPresent, -droppedAckedPresent);
        for (int kind = 1; kind < JournalFormat.KindSlots; kind++)
        {
            Interlocked.Add(ref _evicted[kind], _dropEvicted[kind]);
            _episodeEvicted[kind] += _dropEvicted[kind];
        }

        _orphans -= orphanDelta;
        lock (SegmentLock)
        {
            for (int i = 0; i < hellos; i++)
            {
                _governed[i] -= _governedDelta[i];
            }

            for (int i = helloTo - 1; i >= helloFrom; i--)
            {
                if (!_helloDrop[i]) continue;
                _hellos.RemoveAt(i);
                _governed.RemoveAt(i);
            }
        }

        _window.Invalidate();
        _stateDirty = true;
        return true;
    }

    /// <summary>Pass 2 of <see cref="RemoveRecords"/>: the kept records into a temporary segment that replaces the original.</summary>
    private bool Rewrite(Segment segment, FrameType evict, ulong acked, int helloFrom, out long newLength)
    {
        string temporary = segment.Name + JournalFormat.TemporarySuffix;
        long length = segment.Length;
        int buffered = JournalFormat.HeaderBytes;
        bool streamed = false;
        newLength = 0;
        var counts = new Segment(segment.Name, segment.FirstSequence, segment.File);
        JournalFile? file = null;
        try
        {
            file = _storage.Create(temporary);
            JournalFormat.WriteHeader(_rewrite, segment.FirstSequence);
            long offset = JournalFormat.HeaderBytes;
            int helloIndex = helloFrom;
            _window.Invalidate();
            while (offset < length)
            {
                ReadOnlySpan<byte> bytes = _window.Get(segment.File, offset, JournalFormat.MaxRecordBytes, length);
                JournalFormat.ReadRecord(bytes, out FrameType type, out ulong sequence, out int payloadLength);
                int size = payloadLength + JournalFormat.RecordOverhead;
                offset += size;
                bool drop = type == FrameType.Hello ? _helloDrop[helloIndex++] : sequence < acked || type == evict;
                if (drop) continue;
                if (buffered + size > _rewrite.Length)
                {
                    file.Append(_rewrite.AsSpan(0, buffered));
                    newLength += buffered;
                    buffered = 0;
                    streamed = true;
                }

                bytes[..size].CopyTo(_rewrite.AsSpan(buffered));
                buffered += size;
                counts.Add(type, sequence);
            }

            file.Append(_rewrite.AsSpan(0, buffered));
            newLength += buffered;
            _storage.Sync(file);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            file?.Dispose();
            TryDelete(temporary);
            if (!IsDiskFull(e) || streamed)
            {
                WriteFailed(e, temporary);
                return false;
            }

            // The disk is too full for the copy: rewrite the segment in place from memory. A power loss in the next
            // few milliseconds would lose the kept records of this one segment; without it nothing could be freed.
            return RewriteInPlace(segment, buffered, counts, out newLength);
        }

        lock (SegmentLock)
        {
            try
            {
                _storage.Rename(temporary, segment.Name);
            }
            catch (Exception e) when (FileErrors.IsFileError(e))
            {
                file.Dispose();
                TryDelete(temporary);
                WriteFailed(e, segment.Name);
                return false;
            }

            segment.File.Dispose();
            segment.File = file;
            Replace(segment, counts, newLength);
        }

        try
        {
            _storage.SyncDirectory();
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            _directoryDirty = true;
        }

        return true;
    }

    private bool RewriteInPlace(Segment segment, int bytes, Segment counts, out long newLength)
    {
        newLength = bytes;
        try
        {
            lock (SegmentLock)
            {
                segment.File.Truncate(0);
                segment.File.Append(_rewrite.AsSpan(0, bytes));
                Replace(segment, counts, bytes);
            }

            _storage.Sync(segment.File);
            return true;
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            WriteFailed(e, segment.Name);
            _forceRoll |= segment == _active;
            return false;
        }
    }

    private static void Replace(Segment segment, Segment counts, long length)
    {
        segment.Length = length;
        segment.Generation++;
        segment.ClearCounts();
        segment.Records = counts.Records;
        for (int kind = 0; kind < JournalFormat.KindSlots; kind++) segment.Kinds[kind] = counts.Kinds[kind];
        segment.MinSequence = counts.MinSequence;
        segment.MaxSequence = counts.MaxSequence;
    }

    /// <summary>
    /// Before records go that may include the journal's highest, the state file must already hold a sequence floor
    /// past them, or a restart could give their sequences out again.
    /// </summary>
    private bool PersistFloorBefore(Segment segment)
    {
        ulong next = Math.Max(_sequenceFloor, _writtenNext);
        if (_persistedNext >= next) return true;
        for (int i = _segments.Count - 1; i >= 0 && _segments[i] != segment; i--)
        {
            // A later segment keeps the numbers only with a record that survives a power loss: the newest one's
            // records since the last sync may not.
            Segment later = _segments[i];
            if (later.Records - (later == _active ? _unsynced : 0) > 0) return true;
        }

        // Only the state file will remember these numbers: if it cannot be written now, the records stay, or a
        // restart would give out numbers a collector already holds.
        TryWriteState();
        return _persistedNext >= next;
    }

    /// <summary>Logs the start of a full-journal episode, and each step up in what it has to evict.</summary>
    private void StartEviction(int rank)
    {
        string[] plural = EvictionPlurals;
        if (!_evicting)
        {
            _evicting = true;
            _evictingRank = rank;
            Array.Clear(_episodeEvicted);
            _log.WriteLine($"edgelstm: journal full at {Bytes(Interlocked.Read(ref _bytes))} bytes (bound {Bytes(Limit)}): evicting the oldest {plural[rank]}; "
                + "Predictions go first, then Health, then Alarms, then Events, Hellos last (a summary follows when it is below the bound again)");
        }
        else if (rank > _evictingRank)
        {
            _evictingRank = rank;
            _log.WriteLine($"edgelstm: journal full at {Bytes(Interlocked.Read(ref _bytes))} bytes: no {plural[rank - 1]} left to evict; evicting the oldest {plural[rank]}");
        }
    }

    private void EndEvictionEpisode()
    {
        _evicting = false;
        _diskFullLogged = false;
        long total = 0;
        foreach (long count in _episodeEvicted) total += count;
        _log.WriteLine($"edgelstm: journal at {Bytes(Interlocked.Read(ref _bytes))} bytes, below its bound again: {Bytes(total)} records were evicted in this episode " +
            $"({_episodeEvicted[(int)FrameType.Prediction]} Predictions, {_episodeEvicted[(int)FrameType.Health]} Health, {_episodeEvicted[(int)FrameType.Alarm]} Alarms, {_episodeEvicted[(int)FrameType.Event]} Events, {_episodeEvicted[(int)FrameType.Hello]} Hellos)");
    }

    /// <summary>Nothing more can be evicted: new records are dropped; logged once until one is written again.</summary>
    private void NoRoom()
    {
        if (_dropping) return;
        _dropping = true;
        _droppingCount = 0;
        _log.WriteLine($"edgelstm: journal full at {Bytes(Interlocked.Read(ref _bytes))} bytes (bound {Bytes(Limit)}) with nothing left to evict: new frames are dropped (counted) until there is room");
    }

    private void EndDropEpisode()
    {
        _dropping = false;
        _log.WriteLine($"edgelstm: journal writing again after dropping {Bytes(_droppingCount)} frames for want of room");
    }

    /// <summary>Counts records the writer could not store.</summary>
    private void Dropped(int count)
    {
        Interlocked.Add(ref _droppedWrite, count);
        _droppingCount += count;
    }

    /// <summary>The disk is full: the journal takes its present size as its bound (for a minute), and makes <paramref name="need"/> bytes of room within it.</summary>
    private bool DiskFull(long need)
    {
        long bytes = Interlocked.Read(ref _bytes);
        // Room for the state file too: eviction rewrites it (state.tmp beside state) before it removes records.
        long limit = bytes - (2L * _stateBuffer.Length);
        if (_diskLimit > limit)
        {
            _diskLimit = limit;
            _diskLimitSince = Stopwatch.GetTimestamp();
        }

        if (!_diskFullLogged)
        {
            _diskFullLogged = true;
            _log.WriteLine($"edgelstm: journal: the disk is full (no space left on the device) in {_storage.Location} with the journal at {Bytes(bytes)} bytes: " +
                "it keeps within that size, evicting as when it is full, and tries for more room every minute");
        }

        return need == 0 || MakeRoom(need);
    }
}
