using System.Text;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// Start-up: segments are scanned in order. The newest segment's torn tail (a power loss) is cut off; a damaged
/// segment anywhere has its good records before the damage salvaged into a fresh segment and goes to
/// <c>quarantine/</c>; a missing or damaged state file is rebuilt from the segments. Nothing found in the files
/// makes start-up fail.
/// </summary>
internal sealed partial class FrameJournal
{
    private const int Erofs = 30;

    private void Recover()
    {
        try
        {
            RecoverFiles();
        }
        catch (UnauthorizedAccessException e)
        {
            throw DiskJournalStorage.Unusable(_storage.Location, e);
        }
        catch (IOException e)
        {
            // Not the content (that is repaired or quarantined) but the folder or the device: read-only, an I/O error.
            throw DiskJournalStorage.Unusable(_storage.Location, e);
        }

        try
        {
            WriteState();
        }
        catch (UnauthorizedAccessException e)
        {
            throw DiskJournalStorage.Unusable(_storage.Location, e);
        }
        catch (IOException e) when (e.HResult == Erofs)
        {
            throw DiskJournalStorage.Unusable(_storage.Location, e);
        }
        catch (IOException e)
        {
            _log.WriteLine($"edgelstm: journal: cannot write its state file in {_storage.Location}: {FileErrors.Describe(e, _storage.Location)}; it is retried");
            _stateDirty = true;
        }
    }

    private void RecoverFiles()
    {
        var ignored = new List<string>();
        var names = new List<(ulong First, string Name)>();
        var temporaries = new List<string>();
        foreach (string name in _storage.List())
        {
            if (JournalFormat.TryParseSegmentName(name, out ulong first)) names.Add((first, name));
            else if (name == JournalFormat.StateFileName) continue;
            else if (name == StateTemporaryName) TryDelete(name);
            else if (name.EndsWith(JournalFormat.TemporarySuffix, StringComparison.Ordinal) && JournalFormat.TryParseSegmentName(name[..^JournalFormat.TemporarySuffix.Length], out _)) temporaries.Add(name);
            else ignored.Add(name);
        }

        foreach (string temporary in temporaries)
        {
            string final = temporary[..^JournalFormat.TemporarySuffix.Length];
            if (names.Exists(n => n.Name == final))
            {
                TryDelete(temporary); // a rewrite that never got renamed: the original stands
                continue;
            }

            // A salvage interrupted between quarantining the damaged file and renaming its synced copy into place.
            _storage.Rename(temporary, final);
            _ = JournalFormat.TryParseSegmentName(final, out ulong first);
            names.Add((first, final));
            _log.WriteLine($"edgelstm: journal: completed an interrupted salvage of {final}");
        }

        names.Sort((a, b) => a.First.CompareTo(b.First));
        if (ignored.Count > 0)
        {
            _log.WriteLine($"edgelstm: journal: ignoring {ignored.Count} file{(ignored.Count == 1 ? "" : "s")} in {_storage.Location} that are not the journal's: {string.Join(", ", ignored.Order(StringComparer.Ordinal))}");
        }

        JournalState? state;
        string stateProblem;
        try
        {
            state = JournalStateFile.Read(_storage, out stateProblem);
        }
        catch (IOException e)
        {
            state = null;
            stateProblem = $"it cannot be read: {FileErrors.Describe(e, JournalFormat.StateFileName)}";
        }

        long torn = 0;
        var damaged = new List<DamagedSegment>();
        bool reindex = false;
        ulong floor = 0;
        RecordVisitor index = (type, sequence, _) => IndexRecord(type, sequence);
        for (int i = 0; i < names.Count; i++)
        {
            (ulong first, string name) = names[i];
            bool last = i == names.Count - 1;
            JournalFile file = _storage.Open(name);
            SegmentScan scan = SegmentScanner.Scan(file, name, first, floor, last, _window, index);
            if (scan.Records > 0) floor = scan.MaxSequence + 1;
            switch (scan.Problem)
            {
                case SegmentProblem.None:
                    AddSegment(name, first, file, scan);
                    break;
                case SegmentProblem.TornHeader:
                    file.Dispose();
                    _storage.Delete(name);
                    _directoryDirty = true;
                    torn += scan.TornBytes;
                    _log.WriteLine($"edgelstm: journal: {name} was created just before a power loss ({scan.FileLength} bytes, shorter than its header); removed");
                    break;
                case SegmentProblem.TornTail:
                    torn += scan.TornBytes;
                    try
                    {
                        file.Truncate(scan.GoodLength);
                        file.Sync();
                    }
                    catch (IOException e)
                    {
                        _forceRoll = true; // its torn bytes stay: never append after them
                        _log.WriteLine($"edgelstm: journal: cannot cut the torn tail of {name}: {FileErrors.Describe(e, name)}; new frames go to a new segment");
                    }

                    AddSegment(name, first, file, scan);
                    _log.WriteLine($"edgelstm: journal: {name} ended in a write cut by a power loss at byte {scan.ProblemOffset} ({scan.ProblemReason}): {scan.TornBytes} bytes dropped, {scan.Records} records kept");
                    break;
                default:
                    file.Dispose();
                    (DamagedSegment report, bool indexed) = Salvage(name, first, scan, last);
                    damaged.Add(report);
                    reindex |= !indexed;
                    break;
            }
        }

        if (reindex) Reindex();
        if (_governedDelta.Length < _hellos.Count) _governedDelta = new int[_hellos.Count * 2];
        if (_helloDrop.Length < _governedDelta.Length) _helloDrop = new bool[_governedDelta.Length];

        RestoreState(state, stateProblem, floor);

        Segment? newest = _segments.Count > 0 ? _segments[^1] : null;
        _active = newest;
        try
        {
            // What survived may sit only in the page cache (a crash of this process, not of the board): make it durable before calling it so.
            if (newest is not null) _storage.Sync(newest.File);
            if (_directoryDirty) _storage.SyncDirectory();
            _directoryDirty = false;
        }
        catch (IOException e)
        {
            _log.WriteLine($"edgelstm: journal: cannot sync {_storage.Location}: {FileErrors.Describe(e, _storage.Location)}");
        }

        Recovery = new JournalRecovery
        {
            Records = _present,
            Segments = _segments.Count,
            Bytes = _bytes,
            TornBytes = torn,
            Quarantined = damaged,
            ResumedSequence = _appendNext,
            StateRebuilt = state is null,
            StateProblem = state is null ? (stateProblem.Length == 0 ? "missing" : stateProblem) : "",
            IgnoredFiles = ignored,
        };
        _log.WriteLine($"edgelstm: journal {_storage.Location}{(_storage.IsDurable ? "" : " (not kept across restarts)")}: {_present} records in {_segments.Count} segment{(_segments.Count == 1 ? "" : "s")} ({Bytes(_bytes)} bytes, bound {Bytes(_options.MaxBytes)}); sequences resume at {_appendNext}");
    }

    private void IndexRecord(FrameType type, ulong sequence)
    {
        _present++;
        if (type == FrameType.Hello)
        {
            _hellos.Add(sequence);
            _governed.Add(0);
        }
        else if (_hellos.Count > 0)
        {
            _governed[^1]++;
        }
        else
        {
            _orphans++;
        }
    }

    private void AddSegment(string name, ulong first, JournalFile file, SegmentScan scan)
    {
        var segment = new Segment(name, first, file) { Length = scan.GoodLength };
        segment.Records = scan.Records;
        for (int kind = 0; kind < JournalFormat.KindSlots; kind++) segment.Kinds[kind] = scan.Kinds[kind];
        segment.MinSequence = scan.MinSequence;
        segment.MaxSequence = scan.MaxSequence;
        _segments.Add(segment);
        _segmentCount = _segments.Count;
        _bytes += segment.Length;
    }

    /// <summary>Copies the good records before the damage into a fresh segment of the same name and moves the damaged file to quarantine.</summary>
    private (DamagedSegment Report, bool Indexed) Salvage(string name, ulong first, SegmentScan scan, bool last)
    {
        _damagedSegments++;
        string temporary = name + JournalFormat.TemporarySuffix;
        string quarantined = "";
        bool copied = false;
        try
        {
            if (scan.Records > 0)
            {
                using JournalFile source = _storage.Open(name);
                using JournalFile target = _storage.Create(temporary);
                for (long offset = 0; offset < scan.GoodLength;)
                {
                    int read = source.Read(offset, _rewrite.AsSpan(0, (int)Math.Min(_rewrite.Length, scan.GoodLength - offset)));
                    if (read == 0) throw new IOException($"{name} ended at byte {offset} while it was salvaged");
                    target.Append(_rewrite.AsSpan(0, read));
                    offset += read;
                }

                target.Sync();
                copied = true;
            }

            quarantined = _storage.Quarantine(name);
            if (copied)
            {
                _storage.Rename(temporary, name);
                _storage.SyncDirectory();
                AddSegment(name, first, _storage.Open(name), scan);
            }

            _log.WriteLine($"edgelstm: journal: {name} is damaged at byte {scan.ProblemOffset} ({scan.ProblemReason}); "
                + $"its {scan.Records} good records before the damage were kept and the file was moved to {quarantined}");
            return (new DamagedSegment(name, scan.ProblemOffset, scan.ProblemReason, scan.Records, quarantined), true);
        }
        catch (IOException e)
        {
            _log.WriteLine($"edgelstm: journal: {name} is damaged at byte {scan.ProblemOffset} ({scan.ProblemReason}) and cannot be salvaged: {FileErrors.Describe(e, name)}");
            if (quarantined.Length == 0)
            {
                // Still in place: its good part stays readable, nothing is ever appended after the damage.
                TryDelete(temporary);
                AddSegment(name, first, _storage.Open(name), scan);
                _forceRoll |= last;
                return (new DamagedSegment(name, scan.ProblemOffset, scan.ProblemReason, scan.Records, ""), true);
            }

            return (new DamagedSegment(name, scan.ProblemOffset, scan.ProblemReason, 0, quarantined), false);
        }
    }

    /// <summary>Counts the records of the segments that are there again (after a salvage that could not finish).</summary>
    private void Reindex()
    {
        _present = 0;
        _orphans = 0;
        _hellos.Clear();
        _governed.Clear();
        RecordVisitor index = (type, sequence, _) => IndexRecord(type, sequence);
        foreach (Segment segment in _segments)
        {
            SegmentScanner.Scan(segment.File, segment.Name, segment.FirstSequence, 0, isLast: false, _window, index);
        }
    }

    /// <summary>Acknowledgements, counts and the sequence floor from the state file, or rebuilt from the segments.</summary>
    private void RestoreState(JournalState? state, string problem, ulong recordsNext)
    {
        ulong next = recordsNext;
        if (state is not null)
        {
            next = Math.Max(next, state.NextSequence);
            state.Evicted.AsSpan().CopyTo(_evicted);
            _damagedSegments += state.DamagedSegments;
            foreach (ConsumerAck ack in state.Consumers)
            {
                next = Math.Max(next, ack.AckedNext);
                _unregisteredAcks.Add(new UnregisteredConsumer(ack.Name, Encoding.UTF8.GetBytes(ack.Name), ack.AckedNext));
            }
        }
        else if (_segments.Count > 0 || problem.Length > 0)
        {
            string why = problem.Length == 0 ? "there is no state file" : $"the state file is damaged ({problem})";
            _log.WriteLine($"edgelstm: journal: {why}; rebuilt from the segments: nothing counts as acknowledged (those records are sent again, and collectors drop duplicates by sequence), sequences resume at {next}");
        }

        _appendNext = next;
        _sequenceFloor = next;
        _writtenNext = next;
        _durableNext = next;
    }
}
