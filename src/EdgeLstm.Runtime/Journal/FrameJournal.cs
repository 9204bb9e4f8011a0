using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// The board's durable frame journal (docs/runtime.md § "The journal"): every frame is appended here before any
/// network sink sees it; sinks read what their collector has not acknowledged, and acknowledgements release space.
/// Sequences go on across restarts: <see cref="NextSequence"/> is where the emitter resumes.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Append"/> on the sampling thread only copies into a bounded queue; one writer thread owned by
/// the journal is the only thing that writes files; any number of reader threads (<see cref="OpenReader"/>), each with its
/// own reader. Nothing on the Append path throws, blocks or allocates; the writer and <see cref="JournalReader.TryReadNext"/>
/// allocate nothing per record (a new segment allocates its name and file handle).</para>
/// <para>Bounded by <see cref="JournalOptions.MaxBytes"/>: acknowledged records go first, then unacknowledged ones by
/// priority — Predictions, then Health, then Alarms, then Hellos — oldest first, and never the Hello that gives a kept
/// record its meaning. A full disk is the same case.</para>
/// </remarks>
internal sealed partial class FrameJournal : IDisposable
{
    /// <summary>Consumers (acknowledged-delivery sinks) a journal can have.</summary>
    public const int MaxConsumers = 16;

    private const int BatchBytes = 64 << 10;
    private const int WindowBytes = 64 << 10;

    private readonly JournalStorage _storage;
    private readonly JournalOptions _options;
    private readonly TextWriter _log;

    // The Append queue: entries are a record without its CRC (length u32, type u8, sequence u64, payload). One lock
    // orders producers among themselves; the writer reads without it (single consumer).
    private readonly byte[] _queue;
    private readonly object _appendLock = new();
    private long _queueHead;
    private long _queueTail;
    private ulong _appendNext;
    private long _appended;
    private long _droppedQueueFull;
    private long _droppedInvalid;
    private long _droppedWrite;

    private readonly ManualResetEventSlim _wake = CreateWake();
    private readonly object _flushLock = new();
    private readonly object _durableLock = new();
    private Thread? _writer;
    private volatile bool _stopping;
    private long _flushRequested;
    private long _flushCompleted;
    private long _writerAllocatedBytes;
    private bool _disposed;

    // Consumers: fixed arrays, so Acknowledge never races with a resize.
    private readonly string[] _consumerNames = new string[MaxConsumers];
    private readonly byte[][] _consumerNameBytes = new byte[MaxConsumers][];
    private readonly ulong[] _ackedNext = new ulong[MaxConsumers];
    private readonly List<UnregisteredConsumer> _unregisteredAcks = [];
    private volatile int _consumerCount;
    private long _ackVersion;
    private JournalReader[] _readers = [];

    private readonly object _segmentLock = new();
    private readonly List<Segment> _segments = [];
    private int _segmentCount; // _segments.Count, for Counters without the segment lock (a reader may hold it during I/O)

    // Published to readers and Counters (written by the writer thread).
    private ulong _durableNext;
    private long _bytes;
    private long _written;
    private long _synced;
    private long _syncs;
    private long _present;
    private long _ackedPresent;
    private readonly long[] _evicted = new long[JournalFormat.KindSlots];
    private long _damagedSegments;

    private FrameJournal(JournalStorage storage, JournalOptions options, TextWriter log)
    {
        _storage = storage;
        _options = options;
        _log = log;
        _queue = new byte[options.QueueBytes];
        _batch = new byte[BatchBytes];
        _batchTypes = new FrameType[(BatchBytes / JournalFormat.RecordOverhead) + 1];
        _batchSequences = new ulong[_batchTypes.Length];
        _rewrite = new byte[BatchBytes];
        _window = new RecordWindow(WindowBytes);
        _stateBuffer = new byte[JournalStateFile.FixedBytes];
        _governedDelta = new int[64];
    }

    /// <summary>
    /// Opens a journal: runs recovery (torn tails truncated, damaged segments salvaged and quarantined, the state
    /// rebuilt when it is missing or damaged) and starts the writer thread. Damaged content never makes it throw.
    /// </summary>
    /// <param name="storage">Where the files are; the journal owns and disposes it.</param>
    /// <param name="options">Bounds and sync policy.</param>
    /// <param name="log">Where recovery and full-journal episodes are logged, one line each.</param>
    /// <exception cref="JournalException">The folder cannot be used: not a folder, permission denied, read-only.</exception>
    public static FrameJournal Open(JournalStorage storage, JournalOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var journal = new FrameJournal(storage, options, log);
        try
        {
            journal.Recover();
        }
        catch
        {
            journal.CloseFiles();
            storage.Dispose();
            throw;
        }

        journal._writer = new Thread(journal.WriterLoop) { IsBackground = true, Name = "edgelstm journal writer" };
        journal._writer.Start();
        return journal;
    }

    /// <summary>What start-up found.</summary>
    public JournalRecovery Recovery { get; private set; } = new();

    /// <summary>
    /// Where the emitter resumes: one past the highest sequence that survived, was ever written, acknowledged or
    /// evicted (the state file keeps it when every record is gone), and past every sequence Append accepted since.
    /// </summary>
    public ulong NextSequence
    {
        get
        {
            lock (_appendLock) return _appendNext;
        }
    }

    /// <summary>The highest sequence written and synced per the policy (on RAM storage: written); 0 when nothing is durable yet (see <see cref="DurableNext"/>).</summary>
    public ulong DurableThrough
    {
        get
        {
            ulong next = Volatile.Read(ref _durableNext);
            return next == 0 ? 0 : next - 1;
        }
    }

    /// <summary>One past the highest durable sequence: readers return records below it. 0 when nothing is durable.</summary>
    public ulong DurableNext => Volatile.Read(ref _durableNext);

    /// <summary>Where the journal keeps its files.</summary>
    public string Location => _storage.Location;

    /// <summary>True when the journal outlives the process (a folder); false for one in RAM.</summary>
    public bool IsDurable => _storage.IsDurable;

    /// <summary>
    /// The writer's wake-up. A <see cref="ManualResetEventSlim"/> creates its lock object the first time a thread blocks
    /// on it; blocking once here (no spinning: straight to the lock), before the writer starts, keeps that allocation
    /// out of the writer's steady state whatever the timing of its first idle moment.
    /// </summary>
    private static ManualResetEventSlim CreateWake()
    {
        var wake = new ManualResetEventSlim(false, spinCount: 0);
        wake.Wait(1);
        return wake;
    }

    /// <summary>The bytes of writer-thread allocations so far (GC.GetAllocatedBytesForCurrentThread, published after each pass of its loop); for tests.</summary>
    internal long WriterAllocatedBytes => Interlocked.Read(ref _writerAllocatedBytes);

    /// <summary>
    /// Called on the sampling thread: copies the record into the queue and wakes the writer. Never blocks on I/O,
    /// never allocates, never throws. False (counted in <see cref="JournalCounters.DroppedQueueFull"/> or
    /// <see cref="JournalCounters.DroppedInvalid"/>) when the queue is full, the payload is over 4 KiB, the kind is not
    /// journaled or the sequence is not above the previous one.
    /// </summary>
    public bool Append(FrameType type, ulong sequence, ReadOnlySpan<byte> payload)
    {
        int need = JournalFormat.RecordHeaderBytes + payload.Length;
        lock (_appendLock)
        {
            if (_disposed || payload.Length > JournalFormat.MaxPayloadBytes || !JournalFormat.IsJournaledType(type) || sequence < _appendNext)
            {
                _droppedInvalid++;
                return false;
            }

            long head = _queueHead;
            if (_queue.Length - (head - Volatile.Read(ref _queueTail)) < need)
            {
                _droppedQueueFull++;
                return false;
            }

            Span<byte> header = stackalloc byte[JournalFormat.RecordHeaderBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
            header[4] = (byte)type;
            BinaryPrimitives.WriteUInt64LittleEndian(header[5..], sequence);
            CopyIntoQueue(head, header);
            CopyIntoQueue(head + JournalFormat.RecordHeaderBytes, payload);
            Volatile.Write(ref _queueHead, head + need);
            _appendNext = sequence + 1;
            _appended++;
        }

        _wake.Set();
        return true;
    }

    /// <summary>Registers an acknowledged-delivery consumer (once per sink, at start); its acknowledgement from the state file is kept.</summary>
    /// <param name="name">A name stable across restarts, e.g. "tcp collector:7000".</param>
    /// <returns>The consumer's number for <see cref="Acknowledge"/> and <see cref="OpenReader"/>.</returns>
    public int AddConsumer(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_appendLock)
        {
            int count = _consumerCount;
            for (int i = 0; i < count; i++)
            {
                if (_consumerNames[i] == name) return i;
            }

            if (count == MaxConsumers) throw new InvalidOperationException($"a journal takes at most {MaxConsumers} consumers");
            ulong acked = 0;
            lock (_unregisteredAcks)
            {
                int known = _unregisteredAcks.FindIndex(a => a.Name == name);
                if (known >= 0)
                {
                    acked = Math.Min(_unregisteredAcks[known].AckedNext, _appendNext);
                    _unregisteredAcks.RemoveAt(known);
                }
            }

            _consumerNames[count] = name;
            _consumerNameBytes[count] = Encoding.UTF8.GetBytes(name);
            Volatile.Write(ref _ackedNext[count], acked);
            _consumerCount = count + 1;
        }

        Interlocked.Increment(ref _ackVersion);
        _wake.Set();
        return _consumerCount - 1;
    }

    /// <summary>
    /// Everything up to <paramref name="throughSequence"/> was delivered for <paramref name="consumer"/> (the collector's
    /// Ack). Space is released once every consumer acknowledged a record. Never goes back; never past what was appended.
    /// </summary>
    public void Acknowledge(int consumer, ulong throughSequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(consumer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(consumer, _consumerCount);
        ulong target;
        lock (_appendLock) target = Math.Min(throughSequence == ulong.MaxValue ? ulong.MaxValue : throughSequence + 1, _appendNext);
        ulong current;
        do
        {
            current = Volatile.Read(ref _ackedNext[consumer]);
            if (target <= current) return;
        }
        while (Interlocked.CompareExchange(ref _ackedNext[consumer], target, current) != current);
        Interlocked.Increment(ref _ackVersion);
        _wake.Set();
    }

    /// <summary>One past the highest sequence <paramref name="consumer"/> acknowledged (0: nothing).</summary>
    public ulong AcknowledgedNext(int consumer) => Volatile.Read(ref _ackedNext[consumer]);

    /// <summary>A reader for one consumer thread (<paramref name="consumer"/> -1: a reader that skips nothing as acknowledged).</summary>
    public JournalReader OpenReader(int consumer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consumer, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(consumer, _consumerCount);
        var reader = new JournalReader(this, consumer);
        lock (SegmentLock) _readers = [.. _readers, reader];
        return reader;
    }

    /// <summary>Forgets a disposed reader.</summary>
    internal void RemoveReader(JournalReader reader)
    {
        lock (SegmentLock) _readers = [.. _readers.Where(r => r != reader)];
    }

    /// <summary>Waits until a record at or above <paramref name="sequence"/> is durable, or <paramref name="timeout"/> passes; true when it is.</summary>
    public bool WaitForDurable(ulong sequence, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_durableLock)
        {
            while (Volatile.Read(ref _durableNext) <= sequence)
            {
                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || _stopping) return false;
                Monitor.Wait(_durableLock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            }
        }

        return true;
    }

    /// <summary>A snapshot of the counters; allocates nothing.</summary>
    public JournalCounters Counters
    {
        get
        {
            long appended, queueFull, invalid;
            lock (_appendLock)
            {
                appended = _appended;
                queueFull = _droppedQueueFull;
                invalid = _droppedInvalid;
            }

            int segments = Volatile.Read(ref _segmentCount);
            long present = Interlocked.Read(ref _present);
            return new JournalCounters
            {
                Appended = appended,
                Written = Interlocked.Read(ref _written),
                Synced = Interlocked.Read(ref _synced),
                Syncs = Interlocked.Read(ref _syncs),
                BytesOnStorage = Interlocked.Read(ref _bytes),
                Segments = segments,
                Backlog = present - Interlocked.Read(ref _ackedPresent),
                EvictedPredictions = Interlocked.Read(ref _evicted[(int)FrameType.Prediction]),
                EvictedHealth = Interlocked.Read(ref _evicted[(int)FrameType.Health]),
                EvictedAlarms = Interlocked.Read(ref _evicted[(int)FrameType.Alarm]),
                EvictedHellos = Interlocked.Read(ref _evicted[(int)FrameType.Hello]),
                EvictedEvents = Interlocked.Read(ref _evicted[(int)FrameType.Event]),
                DroppedQueueFull = queueFull,
                DroppedInvalid = invalid,
                DroppedWriteFailures = Interlocked.Read(ref _droppedWrite),
                DamagedSegments = Interlocked.Read(ref _damagedSegments),
            };
        }
    }

    /// <summary>Drains the queue, writes, syncs and writes the state file (a clean shutdown); waits at most <paramref name="timeout"/>.</summary>
    /// <returns>True when everything appended before the call is durable.</returns>
    public bool Flush(TimeSpan timeout)
    {
        if (_writer is null || !_writer.IsAlive) return false;
        long ticket = Interlocked.Increment(ref _flushRequested);
        _wake.Set();
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_flushLock)
        {
            while (Volatile.Read(ref _flushCompleted) < ticket)
            {
                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !_writer.IsAlive) return false;
                Monitor.Wait(_flushLock, TimeSpan.FromSeconds(Math.Min(0.1, (double)left / Stopwatch.Frequency)));
            }
        }

        return true;
    }

    /// <summary>Flushes (at most 5 s), stops the writer thread and closes the files. I/O failures are logged, never thrown.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Flush(TimeSpan.FromSeconds(5));
        lock (_appendLock) _disposed = true;
        _stopping = true;
        _wake.Set();
        bool stopped = _writer?.Join(TimeSpan.FromSeconds(5)) ?? true;
        lock (_durableLock) Monitor.PulseAll(_durableLock);
        foreach (JournalReader reader in _readers) reader.Signal();
        if (!stopped)
        {
            _log.WriteLine("edgelstm: journal: the writer did not stop within 5 s; its files are left open");
            return;
        }

        CloseFiles();
        _storage.Dispose();
        _wake.Dispose();
    }

    /// <summary>Guards the segment list and each segment's file, length and counts against readers while the writer changes them.</summary>
    internal object SegmentLock => _segmentLock;

    /// <summary>The segments, in sequence order (callers hold <see cref="SegmentLock"/>).</summary>
    internal List<Segment> Segments => _segments;

    /// <summary>The Hello records' sequences, in order (callers hold <see cref="SegmentLock"/>).</summary>
    internal List<ulong> HelloSequences => _hellos;

    private void CopyIntoQueue(long position, ReadOnlySpan<byte> bytes)
    {
        int at = (int)(position % _queue.Length);
        int first = Math.Min(bytes.Length, _queue.Length - at);
        bytes[..first].CopyTo(_queue.AsSpan(at));
        bytes[first..].CopyTo(_queue);
    }

    private void CopyFromQueue(long position, Span<byte> destination)
    {
        int at = (int)(position % _queue.Length);
        int first = Math.Min(destination.Length, _queue.Length - at);
        _queue.AsSpan(at, first).CopyTo(destination);
        _queue.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    private void CloseFiles()
    {
        lock (SegmentLock)
        {
            foreach (Segment segment in _segments)
            {
                segment.File.Dispose();
            }
        }
    }
}
