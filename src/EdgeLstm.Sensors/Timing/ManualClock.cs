namespace EdgeLstm.Sensors.Timing;

/// <summary>
/// A clock that only moves when told to. Waiting jumps straight to the deadline, so a sampler driven by it
/// runs as fast as the CPU allows; simulated buses can <see cref="Advance"/> it to model slow transfers.
/// One sampler thread moves it; device reader threads read it and simulated buses advance it from theirs (a read
/// abandoned at its deadline goes on while the sampler samples), so every access is atomic.
/// </summary>
public sealed class ManualClock : MonotonicClock
{
    private long _now;

    /// <summary>Creates a clock reading <paramref name="startNanoseconds"/>.</summary>
    /// <param name="startNanoseconds">The initial time.</param>
    public ManualClock(long startNanoseconds = 0) => _now = startNanoseconds;

    /// <inheritdoc />
    public override long NowNanoseconds => Volatile.Read(ref _now);

    /// <summary>Moves time forward.</summary>
    /// <param name="nanoseconds">A non-negative amount of time.</param>
    public void Advance(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        Interlocked.Add(ref _now, nanoseconds);
    }

    /// <inheritdoc />
    public override void WaitUntil(long deadlineNanoseconds, CancellationToken cancellationToken)
    {
        long now = Volatile.Read(ref _now);
        while (deadlineNanoseconds > now)
        {
            long seen = Interlocked.CompareExchange(ref _now, deadlineNanoseconds, now);
            if (seen == now)
            {
                return;
            }

            now = seen;
        }
    }
}
