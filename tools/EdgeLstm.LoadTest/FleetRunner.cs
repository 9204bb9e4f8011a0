using System.Diagnostics;
using EdgeLstm.LoadTest.Boards;
using EdgeLstm.LoadTest.Cli;
using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest;

/// <summary>
/// One load run: bring the fleet up at the connect rate, publish for the duration, wait for the Acks (drain), take
/// the fleet down, and report. Progress goes to <paramref name="log"/>; every phase is bounded by the plan's limits.
/// </summary>
internal sealed class FleetRunner(LoadPlan plan, IReadOnlyList<ProcessSampler> watched, TextWriter log)
{
    private const int MaxConcurrentConnects = 64;
    private readonly LatencyHistogram _latencies = new();
    private readonly FleetCounters _counters = new();

    /// <summary>Runs it; <paramref name="stop"/> (Ctrl+C, or the hard limit) ends the current phase early.</summary>
    public async Task<LoadReport> RunAsync(CancellationToken stop)
    {
        SimulatedBoard[] boards = [.. Enumerable.Range(0, plan.Boards).Select(i => new SimulatedBoard(plan.DeviceId(i), i, plan.RateHz, _latencies, _counters))];
        try
        {
            long connectStart = Stopwatch.GetTimestamp();
            int connected = await ConnectAllAsync(boards, stop).ConfigureAwait(false);
            double connectSeconds = Stopwatch.GetElapsedTime(connectStart).TotalSeconds;
            log.WriteLine($"edgelstm-loadtest: {connected} of {boards.Length} boards connected in {connectSeconds:F1} s; publishing {plan.RateHz} Hz each for {plan.Duration.TotalSeconds} s");

            foreach (ProcessSampler sampler in watched) sampler.Begin();
            long ackedBefore = Acknowledged(boards);
            long sentBefore = _counters.Frames;
            long publishStart = Stopwatch.GetTimestamp();
            var monitor = new BacklogMonitor(() => _counters.Frames - Acknowledged(boards), watched, log);
            await Task.Run(() => new TickScheduler(boards, plan.RateHz, plan.Duration).Run(stop), CancellationToken.None).ConfigureAwait(false);
            monitor.Dispose(); // the processes' window is the publishing window
            double publishSeconds = Stopwatch.GetElapsedTime(publishStart).TotalSeconds;
            long ackedInWindow = Acknowledged(boards) - ackedBefore;
            long sentInWindow = _counters.Frames - sentBefore;
            foreach (ProcessSampler sampler in watched) sampler.Sample();

            long drainStart = Stopwatch.GetTimestamp();
            await DrainAsync(boards, stop).ConfigureAwait(false);
            double drainSeconds = Stopwatch.GetElapsedTime(drainStart).TotalSeconds;
            long maxBacklog = monitor.MaxBacklog;
            await StopAllAsync(boards).ConfigureAwait(false);
            return Report(boards, connected, connectSeconds, publishSeconds, drainSeconds, sentInWindow, ackedInWindow, maxBacklog);
        }
        finally
        {
            foreach (SimulatedBoard board in boards) board.Dispose();
        }
    }

    /// <summary>Starts board i at i / connect-rate seconds, at most <see cref="MaxConcurrentConnects"/> handshakes at once; returns how many made it.</summary>
    private async Task<int> ConnectAllAsync(SimulatedBoard[] boards, CancellationToken stop)
    {
        using var gate = new SemaphoreSlim(MaxConcurrentConnects);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stop);
        budget.CancelAfter(plan.ConnectBudget);
        long start = Stopwatch.GetTimestamp();
        int connected = 0;
        int failures = 0;
        var tasks = new List<Task>(boards.Length);
        for (int i = 0; i < boards.Length && !budget.IsCancellationRequested; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(i / plan.ConnectRate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, CancellationToken.None).ConfigureAwait(false);
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            SimulatedBoard board = boards[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await board.StartAsync(plan.BrokerHost, plan.BrokerPort, budget.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref connected);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
                {
                    if (Interlocked.Increment(ref failures) <= 3) log.WriteLine($"edgelstm-loadtest: a board did not connect: {e.Message}");
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return connected;
    }

    /// <summary>Waits until every publish has completed and every frame sent is acknowledged, or the drain timeout.</summary>
    private async Task DrainAsync(SimulatedBoard[] boards, CancellationToken stop)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < plan.DrainTimeout && !stop.IsCancellationRequested)
        {
            if (_counters.PublishesInFlight == 0 && Acknowledged(boards) == _counters.Frames) return;
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task StopAllAsync(SimulatedBoard[] boards)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Parallel.ForEachAsync(boards, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentConnects }, async (board, _) => await board.StopAsync(timeout.Token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static long Acknowledged(SimulatedBoard[] boards) => boards.Sum(b => b.Ledger.Acked);

    private LoadReport Report(SimulatedBoard[] boards, int connected, double connectSeconds, double publishSeconds, double drainSeconds, long sentInWindow, long ackedInWindow, long maxBacklog)
    {
        long acked = Acknowledged(boards);
        long sent = boards.Sum(b => b.Ledger.Sent);
        string[] firstLost = [.. boards.SelectMany((b, i) => b.Ledger.Unacknowledged(10).Select(s => $"{plan.DeviceId(i)}#{s}")).Take(10)];
        return new LoadReport(
            plan.Boards, connected, plan.RateHz, Math.Round(connectSeconds, 2), Math.Round(publishSeconds, 2), Math.Round(drainSeconds, 2),
            sent, _counters.Hellos, _counters.Predictions, _counters.Health, _counters.Alarms, acked, sent - acked,
            _counters.PublishFailures, _counters.TicksSkipped, _counters.Acks,
            Math.Round(sentInWindow / publishSeconds, 1), Math.Round(ackedInWindow / publishSeconds, 1), maxBacklog,
            Milliseconds(_latencies.Percentile(50)), Milliseconds(_latencies.Percentile(99)), Milliseconds(_latencies.MaxMicroseconds),
            [.. watched.Select(w => w.Usage())], firstLost);
    }

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 2);
}
