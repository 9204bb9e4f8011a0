using System.Collections.Concurrent;

namespace EdgeLstm.Runtime.Updates;

/// <summary>
/// Commands as they arrive (from the mqtt sink's <c>…/cmd</c> subscription), waiting for the update worker. Bounded:
/// a flood of messages on the topic is counted and dropped, never queued without limit.
/// </summary>
internal sealed class CommandInbox : IDisposable
{
    /// <summary>Commands waiting at most; more are dropped (a real update is rare).</summary>
    public const int Capacity = 4;

    /// <summary>The largest command accepted into the inbox: a model of the largest size an update carries, its fields and signature.</summary>
    public const int MaxMessageBytes = Protocol.UpdateCommandCodec.MaxBodyBytes + Core.Signing.SignatureBlock.Size;

    private readonly ConcurrentQueue<byte[]> _queue = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private long _dropped;

    /// <summary>Commands dropped because the inbox was full or they were too large.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Takes a command's bytes; false (and counted) when full or oversized.</summary>
    public bool Post(byte[] message)
    {
        if (message.Length > MaxMessageBytes || _queue.Count >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        _queue.Enqueue(message);
        _arrived.Release();
        return true;
    }

    /// <summary>Waits for the next command until cancelled.</summary>
    public bool TryTake(out byte[] message, CancellationToken cancellation)
    {
        message = [];
        try
        {
            _arrived.Wait(cancellation);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return _queue.TryDequeue(out message!);
    }

    public void Dispose() => _arrived.Dispose();
}
