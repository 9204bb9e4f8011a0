namespace EdgeLstm.Sensors.Timing;

/// <summary>
/// A monotonic time source in nanoseconds plus a way to wait until a point on it. The sampler, the simulated
/// chips and replay all read time from one instance, so a <see cref="ManualClock"/> makes a whole board run
/// as fast as possible and deterministically.
/// </summary>
public abstract class MonotonicClock
{
    /// <summary>Gets the current time in nanoseconds since an arbitrary, fixed origin.</summary>
    public abstract long NowNanoseconds { get; }

    /// <summary>Blocks until <see cref="NowNanoseconds"/> has reached <paramref name="deadlineNanoseconds"/> or the token is cancelled.</summary>
    /// <param name="deadlineNanoseconds">The time to wait for.</param>
    /// <param name="cancellationToken">Stops the wait early.</param>
    public abstract void WaitUntil(long deadlineNanoseconds, CancellationToken cancellationToken);

    /// <summary>Gets the current time in seconds since the clock's origin (convenience for signal models).</summary>
    public double NowSeconds => NowNanoseconds * 1e-9;
}
