using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Simulation;

/// <summary>
/// Faults a simulated bus device injects into its own transactions: a NACK on every n-th read, a device
/// that disappears (for a while or until told otherwise), a transfer time that advances a
/// <see cref="ManualClock"/> so slow buses and overruns can be tested without real time, and a bus that hangs
/// (a transaction that does not return until a time on the board clock, or until released) as a stuck I2C bus does.
/// </summary>
public sealed class BusFaults
{
    private volatile bool _blocked;
    private long _blockedFrom = long.MaxValue;
    private long _blockedUntil = long.MaxValue;

    /// <summary>Gets or sets n: every n-th read transaction (a read or write-read) fails with an <see cref="IOException"/>; 0 disables.</summary>
    public int FailEveryNthRead { get; set; }

    /// <summary>Gets or sets a value indicating whether the device is gone from the bus (every transaction fails).</summary>
    public bool Disconnected { get; set; }

    /// <summary>Gets or sets the start of a time window, in clock nanoseconds, in which the device is gone.</summary>
    public long DisconnectedFromNanoseconds { get; set; } = long.MaxValue;

    /// <summary>Gets or sets the end (exclusive) of the window in which the device is gone.</summary>
    public long DisconnectedUntilNanoseconds { get; set; } = long.MaxValue;

    /// <summary>Gets or sets how long one transaction takes; only a <see cref="ManualClock"/> is advanced by it.</summary>
    public long TransactionNanoseconds { get; set; }

    /// <summary>Gets or sets a value indicating whether every transaction hangs until this is set false again (from another thread).</summary>
    public bool Blocked
    {
        get => _blocked;
        set => _blocked = value;
    }

    /// <summary>Gets or sets the start of a time window, in clock nanoseconds, in which a transaction hangs: it returns
    /// (and then goes ahead) once the clock reaches <see cref="BlockedUntilNanoseconds"/>.</summary>
    public long BlockedFromNanoseconds
    {
        get => Interlocked.Read(ref _blockedFrom);
        set => Interlocked.Exchange(ref _blockedFrom, value);
    }

    /// <summary>Gets or sets the end (exclusive) of the window in which transactions hang; <see cref="long.MaxValue"/>: forever.
    /// Setting it to 0 releases a hung transaction.</summary>
    public long BlockedUntilNanoseconds
    {
        get => Interlocked.Read(ref _blockedUntil);
        set => Interlocked.Exchange(ref _blockedUntil, value);
    }

    /// <summary>Gets the number of transactions that hung (each counted once, when it started hanging).</summary>
    public long BlockedTransactionCount { get; private set; }

    /// <summary>Gets the number of transactions seen (including failed ones).</summary>
    public long TransactionCount { get; private set; }

    /// <summary>Gets the number of read transactions seen.</summary>
    public long ReadCount { get; private set; }

    /// <summary>Gets the number of transactions that were made to fail.</summary>
    public long InjectedFailureCount { get; private set; }

    /// <summary>Called by the simulated device at the start of each transaction; throws to simulate a failure.</summary>
    /// <param name="clock">The board clock.</param>
    /// <param name="device">Names the device in the exception message.</param>
    /// <param name="isRead">True if the transaction reads from the device.</param>
    /// <exception cref="IOException">The transaction fails.</exception>
    public void OnTransaction(MonotonicClock clock, string device, bool isRead)
    {
        ArgumentNullException.ThrowIfNull(clock);
        TransactionCount++;
        if (isRead)
        {
            ReadCount++;
        }

        if (IsBlocked(clock.NowNanoseconds))
        {
            BlockedTransactionCount++;
            // Hang as a stuck bus does: the caller's thread is held, the board clock goes on (on a fast clock the sampler
            // moves it). Polled, not signalled: a simulated fault need not be cheap, only real.
            while (IsBlocked(clock.NowNanoseconds))
            {
                Thread.Sleep(2);
            }
        }

        if (TransactionNanoseconds > 0 && clock is ManualClock manual)
        {
            manual.Advance(TransactionNanoseconds);
        }

        long now = clock.NowNanoseconds;
        bool gone = Disconnected || (now >= DisconnectedFromNanoseconds && now < DisconnectedUntilNanoseconds);
        if (gone)
        {
            InjectedFailureCount++;
            throw new IOException($"Simulated NACK: {device} does not answer (device disconnected).");
        }

        if (isRead && FailEveryNthRead > 0 && ReadCount % FailEveryNthRead == 0)
        {
            InjectedFailureCount++;
            throw new IOException($"Simulated NACK: {device} read {ReadCount} failed (fails every {FailEveryNthRead}).");
        }
    }

    private bool IsBlocked(long now) => _blocked || (now >= BlockedFromNanoseconds && now < BlockedUntilNanoseconds);
}
