using System.Buffers;
using System.Globalization;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery over a byte link to a collector (TCP, serial): frames come from the journal, never from
/// the sampling thread. A sender thread sends every journaled frame the collector has not acknowledged, reads its
/// Acks (the highest contiguous sequence it committed) and hands them to the journal, which only then releases
/// the frames. After every (re)connect it sends the governing Hello first, then pending Alarms ahead of the
/// backlog, then the backlog oldest first; frames that were already waiting when the link came up are marked
/// historical. A link that stops taking bytes (send timeout), goes half-open (keepalive, user timeout) or stops
/// acknowledging (<see cref="DeliveryTimings.AckTimeout"/>) is dropped and reconnected with backoff.
/// </summary>
internal abstract class DeliverySink : FrameSink
{
    private const int MaxAlarmsAhead = 256;
    private const int BatchBytes = 32 * 1024;

    private readonly FrameJournal _journal;
    private readonly int _consumer;
    private readonly string _name;
    private readonly TextWriter _log;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly StreamFrameEncoder _encoder = new();
    private StreamFrameDecoder _acks = new();
    private readonly ArrayBufferWriter<byte> _batch = new(BatchBytes + 8 * 1024);
    private readonly byte[] _record = new byte[DecoderLimits.Default.MaxPayloadBytes];
    private readonly byte[] _received = new byte[4096];
    private readonly ulong[] _alarmsAhead = new ulong[MaxAlarmsAhead];
    private volatile bool _stopping;
    private volatile bool _connected;
    private long _sent;
    private long _acknowledged;
    private long _reconnects;
    private string? _failure;
    private DateTime _stopDeadline = DateTime.MaxValue;

    /// <summary>Registers with <paramref name="journal"/> as a consumer named <paramref name="name"/> and starts sending.</summary>
    protected DeliverySink(string name, FrameJournal journal, DeliveryTimings timings, TextWriter log)
    {
        _name = name;
        _journal = journal;
        _log = log;
        Timings = timings;
        _consumer = journal.AddConsumer(name);
        _thread = new Thread(SendLoop) { IsBackground = true, Name = $"edgelstm {name}" };
    }

    /// <summary>This sink's consumer number in the journal.</summary>
    public int Consumer => _consumer;

    /// <summary>The timeouts and backoff this sink keeps.</summary>
    public DeliveryTimings Timings { get; }

    public sealed override string Name => _name;

    /// <summary>Frames reach this sink through the journal; the emitter does not write to it.</summary>
    public sealed override FrameForm Form => FrameForm.Journal;

    /// <summary>True while the link is up.</summary>
    public bool IsConnected => _connected;

    /// <summary>Frames sent, resends included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Frames the collector acknowledged through this sink.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Times the link was lost and tried again.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Frames appended to the journal that this collector has not acknowledged (evicted ones included until an Ack passes them).</summary>
    public long Backlog
    {
        get
        {
            ulong appended = _journal.NextSequence;
            return (long)(appended - Math.Min(_journal.AcknowledgedNext(_consumer), appended));
        }
    }

    /// <summary>The same as <see cref="Backlog"/>: frames waiting for this sink.</summary>
    public override int QueueDepth => (int)Math.Min(int.MaxValue, Backlog);

    public override string? Failure => Volatile.Read(ref _failure);

    /// <summary>Not used: the emitter appends to the journal, and this sink reads it.</summary>
    public sealed override void Write(in OutgoingFrame frame) { }

    /// <summary>Starts the sender thread (after the subclass is constructed).</summary>
    protected void Start() => _thread.Start();

    /// <summary>Opens the link; throws <see cref="IOException"/>, <see cref="System.Net.Sockets.SocketException"/> or <see cref="TimeoutException"/> when it cannot.</summary>
    protected abstract void Connect();

    /// <summary>Sends all of <paramref name="bytes"/> within the send timeout, or throws.</summary>
    protected abstract void Send(ReadOnlySpan<byte> bytes);

    /// <summary>Reads what has arrived without waiting; returns 0 when nothing has. Throws when the link closed.</summary>
    protected abstract int ReceiveAvailable(Span<byte> buffer);

    /// <summary>Closes the link (idempotent).</summary>
    protected abstract void Disconnect();

    /// <summary>Waits (at most 2 s, and not at all while the link is down) until the collector acknowledged everything journaled so far.</summary>
    public override void Flush() => WaitForAcknowledgements(TimeSpan.FromSeconds(2), giveUpWhileDown: true);

    /// <summary>Waits until the collector acknowledged everything journaled so far; false when the time ran out.</summary>
    public bool WaitForAcknowledgements(TimeSpan timeout, bool giveUpWhileDown = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Backlog > 0)
        {
            if (DateTime.UtcNow >= deadline || (giveUpWhileDown && !_connected && _failure is not null)) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    private void SendLoop()
    {
        TimeSpan backoff = Timings.MinBackoff;
        bool reportedDown = false;
        while (!_stopping)
        {
            try
            {
                Connect();
                _connected = true;
                Volatile.Write(ref _failure, null);
                if (reportedDown) _log.WriteLine($"edgelstm: {_name}: connected again");
                else _log.WriteLine($"edgelstm: {_name}: connected");
                reportedDown = false;
                backoff = Timings.MinBackoff;
                Deliver();
            }
#pragma warning disable CA1031 // whatever a link throws, the sender must live on: an exception here would end the process and the alarm pin
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (!reportedDown)
                {
                    string failure = $"{_name}: {Describe(e)}";
                    Volatile.Write(ref _failure, failure);
                    _log.WriteLine($"edgelstm: degraded: {failure}; frames stay in the journal, retrying with backoff up to {DeliveryTimings.Words(Timings.MaxBackoff)}");
                    reportedDown = true;
                }
            }
            finally
            {
                if (_connected) Interlocked.Increment(ref _reconnects);
                _connected = false;
                Disconnect();
            }
            if (_stopping) return;
            // Only shutdown cuts a backoff short: new frames must not turn it into a tight reconnect loop.
            _stop.Wait(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(Timings.MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    private static string Describe(Exception e) => e switch
    {
        System.Net.Sockets.SocketException s => $"link failed ({s.SocketErrorCode})",
        LinkStalledException => e.Message,
        IOException or TimeoutException or UnauthorizedAccessException => $"link failed ({e.Message})",
        _ => $"link failed unexpectedly ({e.GetType().Name}: {e.Message})",
    };

    /// <summary>One connection: governing Hello, pending Alarms, then the backlog and live frames until the link fails or the sink stops.</summary>
    private void Deliver()
    {
        using JournalReader reader = _journal.OpenReader(_consumer);
        _acks = new StreamFrameDecoder(); // a half-read Ack of the last link means nothing on this one
        ulong next = _journal.AcknowledgedNext(_consumer);
        // Frames journalled before the link came up are historical, synced yet or not (a sync can lag by its interval).
        ulong liveFrom = _journal.NextSequence;
        ulong helloSent = ulong.MaxValue;
        var link = new LinkProgress(next);

        // Alarms first: an operator must learn of a fault before the hours of predictions that led to it.
        int pending = reader.UnacknowledgedAlarms(_alarmsAhead);
        int ahead = 0;
        for (int i = 0; i < pending; i++)
        {
            ulong sequence = _alarmsAhead[i];
            if (sequence < next) continue;
            // The Hello first (it shares the record buffer), then the Alarm it governs.
            SendGoverningHello(reader, sequence, ref helloSent);
            if (!reader.TryRead(sequence, _record, out JournalRecord alarm)) continue;
            Add(alarm, historical: sequence < liveFrom);
            _alarmsAhead[ahead++] = sequence; // only what was sent is skipped in the backlog
        }
        link.AlarmsAhead = ahead;
        SendGoverningHello(reader, next, ref helloSent);

        while (!_stopping || (Backlog > 0 && DateTime.UtcNow < _stopDeadline))
        {
            ReadAcknowledgements(ref link);
            if (reader.TryReadNext(ref next, _record, out JournalRecord record))
            {
                if (Array.IndexOf(_alarmsAhead, record.Sequence, 0, ahead) >= 0) continue;
                if (record.Type == FrameType.Hello) helloSent = record.Sequence;
                Add(record, historical: record.Sequence < liveFrom);
                link.HighestSent = record.Sequence;
                link.AnySent = true;
                if (_batch.WrittenCount >= BatchBytes) SendBatch();
                continue;
            }
            SendBatch();
            if (link.AnySent && _journal.AcknowledgedNext(_consumer) <= link.HighestSent
                && Environment.TickCount64 - link.LastProgressMs > (long)Timings.AckTimeout.TotalMilliseconds)
            {
                throw new LinkStalledException($"no Ack for {DeliveryTimings.Words(Timings.AckTimeout)} with frames outstanding; the collector is treated as stalled and the link reconnected");
            }
            reader.Durable.WaitOne(_stopping ? TimeSpan.FromMilliseconds(5) : Timings.PollInterval);
        }
        SendBatch();
    }

    /// <summary>What one connection has sent and had acknowledged.</summary>
    private struct LinkProgress(ulong firstUnacknowledged)
    {
        public int AlarmsAhead;
        public bool AnySent;            // a backlog or live frame (not an Alarm sent ahead)
        public ulong HighestSent;       // of those frames, in send order = sequence order
        public ulong FirstUnacknowledged = firstUnacknowledged;
        public long LastProgressMs = Environment.TickCount64;
    }

    private void SendGoverningHello(JournalReader reader, ulong sequence, ref ulong helloSent)
    {
        if (!reader.TryGetGoverningHello(sequence, _record, out JournalRecord hello) || hello.Sequence == helloSent) return;
        Add(hello, historical: false);
        helloSent = hello.Sequence;
    }

    private void Add(in JournalRecord record, bool historical)
    {
        if (historical) StoredFrames.TrySetFlags(_record.AsMemory(0, record.Length), FrameFlags.Historical);
        _encoder.WritePayload(_record.AsSpan(0, record.Length), _batch);
        Interlocked.Increment(ref _sent);
    }

    private void SendBatch()
    {
        if (_batch.WrittenCount == 0) return;
        Send(_batch.WrittenSpan);
        _batch.ResetWrittenCount();
    }

    /// <summary>
    /// Hands the collector's Acks to the journal. An Ack names the latest frame the collector committed; the link
    /// is ordered, so everything sent before that frame was committed too. An Ack of an Alarm sent ahead says
    /// nothing about the backlog behind it and is ignored; so is an Ack of something not sent on this link.
    /// </summary>
    private void ReadAcknowledgements(ref LinkProgress link)
    {
        int received;
        while ((received = ReceiveAvailable(_received)) > 0)
        {
            ReadOnlySpan<byte> input = _received.AsSpan(0, received);
            while (!input.IsEmpty && _acks.TryDecodeNext(input, out int consumed, out DecodeResult result))
            {
                input = input[consumed..];
                if (!result.IsFrame || result.FrameType != FrameType.Ack) continue;
                ulong through = result.Ack.HighestSequence;
                if (!link.AnySent || through > link.HighestSent || Array.IndexOf(_alarmsAhead, through, 0, link.AlarmsAhead) >= 0) continue;
                _journal.Acknowledge(_consumer, through);
            }
        }
        ulong first = _journal.AcknowledgedNext(_consumer);
        if (first != link.FirstUnacknowledged)
        {
            if (first > link.FirstUnacknowledged) Interlocked.Add(ref _acknowledged, (long)(first - link.FirstUnacknowledged));
            link.FirstUnacknowledged = first;
            link.LastProgressMs = Environment.TickCount64;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopDeadline = DateTime.UtcNow + Timings.ShutdownGrace;
            _stopping = true;
            _stop.Set();
            if (_thread.IsAlive) _thread.Join(Timings.ShutdownGrace + Timings.SendTimeout);
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The collector stopped acknowledging while frames were outstanding.</summary>
    private sealed class LinkStalledException(string message) : Exception(message);
}

/// <summary>The bounds a delivery sink keeps: how fast it notices a dead link and how it retries.</summary>
/// <param name="SendTimeout">A send that cannot hand its bytes to the link within this fails the link.</param>
/// <param name="AckTimeout">Frames outstanding with no Ack progress for this long fail the link.</param>
/// <param name="MinBackoff">The first wait before reconnecting.</param>
/// <param name="MaxBackoff">The longest wait before reconnecting.</param>
/// <param name="PollInterval">How long the sender waits for new journal records before it looks for Acks again.</param>
/// <param name="ShutdownGrace">At shutdown, how long the sender keeps delivering the backlog.</param>
internal sealed record DeliveryTimings(TimeSpan SendTimeout, TimeSpan AckTimeout, TimeSpan MinBackoff, TimeSpan MaxBackoff, TimeSpan PollInterval, TimeSpan ShutdownGrace)
{
    /// <summary>What boards use: a dead or stalled collector is noticed within 30 s, reconnects back off to 30 s.</summary>
    public static DeliveryTimings Default { get; } = new(
        SendTimeout: TimeSpan.FromSeconds(5),
        AckTimeout: TimeSpan.FromSeconds(30),
        MinBackoff: TimeSpan.FromMilliseconds(250),
        MaxBackoff: TimeSpan.FromSeconds(30),
        PollInterval: TimeSpan.FromMilliseconds(20),
        ShutdownGrace: TimeSpan.FromSeconds(2));

    /// <summary>A duration for log lines: "30 s", "0.25 s".</summary>
    public static string Words(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");
}
