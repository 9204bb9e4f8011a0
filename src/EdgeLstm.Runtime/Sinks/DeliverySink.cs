using System.Buffers;
using System.Globalization;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery to a collector (TCP, serial, MQTT): frames come from the journal, never from the sampling
/// thread. A sender thread sends every journaled frame the collector has not acknowledged, reads its Acks and hands
/// them to the journal, which only then releases the frames. After every (re)connect it sends the governing Hello
/// first, then pending Alarms ahead of the backlog, then the backlog oldest first; frames that were already waiting
/// when the link came up are marked historical. A link that stops taking frames (send timeout), goes half-open or
/// stops acknowledging (<see cref="DeliveryTimings.AckTimeout"/>) is dropped and reconnected with backoff.
/// An ordered link (<see cref="KeepsOrder"/>) is acknowledged by the latest frame committed in link order; one that
/// does not keep order (MQTT through a broker) by range Acks, tracked in a <see cref="SentLedger"/>.
/// </summary>
internal abstract class DeliverySink : FrameSink
{
    private const int MaxAlarmsAhead = 256;

    private readonly FrameJournal _journal;
    private readonly int _consumer;
    private readonly string _name;
    private readonly TextWriter _log;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly byte[] _record = new byte[DecoderLimits.Default.MaxPayloadBytes];
    private readonly ulong[] _alarmsAhead = new ulong[MaxAlarmsAhead];
    private readonly bool[] _aheadAcknowledged = new bool[MaxAlarmsAhead];
    private readonly SentLedger _ledger = new(SentLedger.DefaultCapacity);
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

    /// <summary>True once the sink is being disposed (a link closing now is closed on purpose).</summary>
    protected bool Stopping => _stopping;

    /// <summary>
    /// True when the link delivers frames in the order they were sent (a byte stream): its Acks name the latest frame
    /// committed in link order. False for a link through a broker, which sends range Acks.
    /// </summary>
    protected virtual bool KeepsOrder => true;

    /// <summary>Opens the link; throws <see cref="IOException"/>, <see cref="System.Net.Sockets.SocketException"/> or <see cref="TimeoutException"/> when it cannot.</summary>
    protected abstract void Connect();

    /// <summary>
    /// Hands one journaled frame (<paramref name="payload"/>, the stored payload of <paramref name="record"/>) to the
    /// link; it may be buffered until <see cref="TransmitPending"/>. Throws when the link failed.
    /// </summary>
    protected abstract void Transmit(in JournalRecord record, ReadOnlySpan<byte> payload);

    /// <summary>Pushes out what <see cref="Transmit"/> buffered, within the send timeout, or throws.</summary>
    protected abstract void TransmitPending();

    /// <summary>The next Ack that has arrived, without waiting; false when none has. Throws when the link closed.</summary>
    protected abstract bool TryReceiveAck(out AckFrame ack);

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
        _ledger.Clear(); // what the last link sent is sent again on this one
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
            _aheadAcknowledged[ahead] = false;
            _alarmsAhead[ahead++] = sequence; // only what was sent is skipped in the backlog
        }
        link.AlarmsAhead = ahead;
        SendGoverningHello(reader, next, ref helloSent);

        while (!_stopping || (Backlog > 0 && DateTime.UtcNow < _stopDeadline))
        {
            ReadAcknowledgements(ref link);
            // A link acknowledged by ranges holds what it sent in its ledger; a full ledger waits for Acks.
            if (!_ledger.IsFull && reader.TryReadNext(ref next, _record, out JournalRecord record))
            {
                int aheadIndex = Array.IndexOf(_alarmsAhead, record.Sequence, 0, ahead);
                if (aheadIndex >= 0)
                {
                    if (!KeepsOrder) _ledger.Add(record.Sequence, _aheadAcknowledged[aheadIndex]);
                    continue;
                }
                if (record.Type == FrameType.Hello) helloSent = record.Sequence;
                Add(record, historical: record.Sequence < liveFrom);
                if (!KeepsOrder) _ledger.Add(record.Sequence, acknowledged: false);
                link.HighestSent = record.Sequence;
                link.AnySent = true;
                continue;
            }
            TransmitPending();
            if (link.AnySent && _journal.AcknowledgedNext(_consumer) <= link.HighestSent
                && Environment.TickCount64 - link.LastProgressMs > (long)Timings.AckTimeout.TotalMilliseconds)
            {
                throw new LinkStalledException($"no Ack for {DeliveryTimings.Words(Timings.AckTimeout)} with frames outstanding; the collector is treated as stalled and the link reconnected");
            }
            reader.Durable.WaitOne(_stopping ? TimeSpan.FromMilliseconds(5) : Timings.PollInterval);
        }
        TransmitPending();
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

    /// <summary>
    /// An Ack on an ordered link names the latest frame the collector committed, so everything sent before that
    /// frame was committed too. An Ack of an Alarm sent ahead says nothing about the backlog behind it and is
    /// ignored; so is an Ack of something not sent on this link.
    /// </summary>
    private void AcknowledgeInLinkOrder(ulong through, in LinkProgress link)
    {
        if (!link.AnySent || through > link.HighestSent || Array.IndexOf(_alarmsAhead, through, 0, link.AlarmsAhead) >= 0) return;
        _journal.Acknowledge(_consumer, through);
    }

    /// <summary>A range Ack: exactly the frames <paramref name="lowest"/> … <paramref name="highest"/> were committed, wherever they were sent.</summary>
    private void AcknowledgeRange(ulong lowest, ulong highest, int alarmsAhead)
    {
        if (lowest > highest) return;
        _ledger.Acknowledge(lowest, highest);
        for (int i = 0; i < alarmsAhead; i++)
            if (_alarmsAhead[i] >= lowest && _alarmsAhead[i] <= highest) _aheadAcknowledged[i] = true;
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
        Transmit(record, _record.AsSpan(0, record.Length));
        Interlocked.Increment(ref _sent);
    }

    /// <summary>Hands the collector's Acks to the journal (<see cref="KeepsOrder"/> says which kind the link gets).</summary>
    private void ReadAcknowledgements(ref LinkProgress link)
    {
        while (TryReceiveAck(out AckFrame ack))
        {
            if (KeepsOrder && !ack.IsRange) AcknowledgeInLinkOrder(ack.HighestSequence, link);
            else if (!KeepsOrder && ack.IsRange) AcknowledgeRange(ack.LowestSequence!.Value, ack.HighestSequence, link.AlarmsAhead);
        }
        if (!KeepsOrder && _ledger.TryRelease(out ulong through)) _journal.Acknowledge(_consumer, through);
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
