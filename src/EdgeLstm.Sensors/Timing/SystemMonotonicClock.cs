using System.Diagnostics;

namespace EdgeLstm.Sensors.Timing;

/// <summary>
/// Wall-independent monotonic time from <see cref="Stopwatch"/>. Waits sleep in the kernel for all but the
/// last <see cref="SpinThresholdNanoseconds"/>, then spin: <see cref="Thread.Sleep(int)"/> alone overshoots by
/// up to a scheduler tick, which would be a whole period at 1 kHz.
/// </summary>
public sealed class SystemMonotonicClock : MonotonicClock
{
    /// <summary>How close to the deadline the wait stops sleeping and starts spinning.</summary>
    public const long SpinThresholdNanoseconds = 1_500_000;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly long _origin = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override long NowNanoseconds => (long)((Stopwatch.GetTimestamp() - _origin) * NanosecondsPerTick);

    /// <inheritdoc />
    public override void WaitUntil(long deadlineNanoseconds, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long remaining = deadlineNanoseconds - NowNanoseconds;
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > SpinThresholdNanoseconds)
            {
                // Sleep whole milliseconds, leaving the threshold for the spin; a cancel wakes the sleep.
                int milliseconds = (int)Math.Min(int.MaxValue, (remaining - SpinThresholdNanoseconds) / 1_000_000 + 1);
                if (cancellationToken.CanBeCanceled)
                {
                    cancellationToken.WaitHandle.WaitOne(milliseconds);
                }
                else
                {
                    Thread.Sleep(milliseconds);
                }
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
