namespace EdgeLstm.Runtime.Sinks;

/// <summary>Where frames go: stdout, a file, a TCP collector, a UDP collector.</summary>
internal abstract class FrameSink : IDisposable
{
    /// <summary>A short description for logs, e.g. <c>tcp collector.local:7000</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The one representation of each frame this sink writes; <see cref="OutgoingFrame"/> carries it filled in.</summary>
    public abstract FrameForm Form { get; }

    /// <summary>Frames waiting to be sent (queueing sinks only).</summary>
    public virtual int QueueDepth => 0;

    /// <summary>Frames dropped because the queue overflowed or the destination refused them.</summary>
    public virtual long Drops => 0;

    /// <summary>Why the sink stopped sending (a sentence naming it and the cause), or null while it works.</summary>
    public virtual string? Failure => null;

    /// <summary>Hands over one frame; never blocks on the network and allocates nothing.</summary>
    public abstract void Write(in OutgoingFrame frame);

    /// <summary>Pushes buffered frames out (called at shutdown).</summary>
    public virtual void Flush() { }

    private bool _disposed;

    /// <summary>Flushes and releases the sink; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    protected virtual void Dispose(bool disposing) { }
}
