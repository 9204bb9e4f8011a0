using System.Diagnostics;

namespace EdgeLstm.LoadTest.Boards;

/// <summary>
/// Drives the fleet's clocks with a few threads instead of one per board: each thread owns a share of the boards and
/// spreads them over <see cref="SlotsPerPeriod"/> slots of the prediction period, so the broker sees a steady stream
/// rather than a burst every period. Slots are counted from the start on a monotonic clock; a thread that falls
/// behind catches up (the frames go out late, none are skipped), so the rate sent is the rate asked for unless the
/// generator itself is saturated, which the achieved rate then shows.
/// </summary>
internal sealed class TickScheduler(IReadOnlyList<SimulatedBoard> boards, double rateHz, TimeSpan duration)
{
    /// <summary>Slots each prediction period is divided into.</summary>
    public const int SlotsPerPeriod = 10;

    /// <summary>The board threads: at most the cores, at most 4.</summary>
    public static int ThreadCount => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Runs every board's ticks for the duration; returns when all threads are done or <paramref name="stop"/> fires.</summary>
    public void Run(CancellationToken stop)
    {
        long totalSlots = (long)Math.Round(duration.TotalSeconds * rateHz * SlotsPerPeriod);
        double slotTicks = Stopwatch.Frequency / (rateHz * SlotsPerPeriod);
        long start = Stopwatch.GetTimestamp();
        var threads = new Thread[ThreadCount];
        for (int t = 0; t < threads.Length; t++)
        {
            SimulatedBoard[][] slots = SlotsOf(t, threads.Length);
            threads[t] = new Thread(() => Drive(slots, start, slotTicks, totalSlots, stop)) { IsBackground = true, Name = $"ticks-{t}" };
            threads[t].Start();
        }
        foreach (Thread thread in threads) thread.Join();
    }

    /// <summary>Thread <paramref name="thread"/>'s boards (every <paramref name="threads"/>-th), dealt round-robin into slots.</summary>
    internal SimulatedBoard[][] SlotsOf(int thread, int threads)
    {
        var slots = Enumerable.Range(0, SlotsPerPeriod).Select(_ => new List<SimulatedBoard>()).ToArray();
        for (int i = thread, n = 0; i < boards.Count; i += threads, n++) slots[n % SlotsPerPeriod].Add(boards[i]);
        return [.. slots.Select(s => s.ToArray())];
    }

    private static void Drive(SimulatedBoard[][] slots, long start, double slotTicks, long totalSlots, CancellationToken stop)
    {
        long done = 0;
        while (done < totalSlots && !stop.IsCancellationRequested)
        {
            long due = Math.Min(totalSlots, (long)((Stopwatch.GetTimestamp() - start) / slotTicks) + 1);
            for (; done < due; done++)
            {
                foreach (SimulatedBoard board in slots[done % SlotsPerPeriod]) board.Tick();
            }
            long next = start + (long)(done * slotTicks);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        }
    }
}
