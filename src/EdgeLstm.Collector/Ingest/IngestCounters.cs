namespace EdgeLstm.Collector.Ingest;

/// <summary>What an ingest has done since it started; thread-safe counters for logs and tests.</summary>
internal sealed class IngestCounters
{
    private long _connections;
    private long _stored;
    private long _duplicates;
    private long _decodeErrors;
    private long _skipped;
    private long _acks;
    private long _commitFailures;
    private long _dropped;
    private long _messages;
    private long _badTopics;
    private long _refused;

    /// <summary>MQTT messages received (frames, statuses, and ones refused).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>MQTT messages on a topic outside the contract or with an unacceptable device id: not stored.</summary>
    public long BadTopics => Interlocked.Read(ref _badTopics);

    /// <summary>Connections refused before a frame was read: no TLS handshake, no or a foreign client certificate.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections accepted.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Frames committed new.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Frames the store already had.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Blocks or MQTT payloads that did not decode (bad COBS, CRC, MessagePack, limits, status text).</summary>
    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    /// <summary>Valid frames not stored: unknown types, Acks sent to the collector.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Acks sent (TCP) or published (MQTT range Acks).</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Batches whose transaction failed (their link was closed without an Ack).</summary>
    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    /// <summary>Frames received but never committed: still waiting for a Hello, or in a failed batch, when their link closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void AddMessage() => Interlocked.Increment(ref _messages);

    internal void AddBadTopic() => Interlocked.Increment(ref _badTopics);

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddConnection() => Interlocked.Increment(ref _connections);

    internal void AddCommitted(int stored, int duplicates)
    {
        Interlocked.Add(ref _stored, stored);
        Interlocked.Add(ref _duplicates, duplicates);
    }

    internal void AddDecodeError() => Interlocked.Increment(ref _decodeErrors);

    internal void AddSkipped() => Interlocked.Increment(ref _skipped);

    internal void AddAck() => Interlocked.Increment(ref _acks);

    internal void AddCommitFailure() => Interlocked.Increment(ref _commitFailures);

    internal void AddDropped(int frames) => Interlocked.Add(ref _dropped, frames);
}
