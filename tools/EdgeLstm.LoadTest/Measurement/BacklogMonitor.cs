namespace EdgeLstm.LoadTest.Measurement;

/// <summary>
/// Once a second while the load runs: samples the watched processes, notes the backlog (frames sent, not yet
/// acknowledged) and prints a progress line, so a run that falls behind shows it as it happens.
/// </summary>
internal sealed class BacklogMonitor : IDisposable
{
    private readonly Func<long> _backlog;
    private readonly IReadOnlyList<ProcessSampler> _watched;
    private readonly TextWriter _log;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private long _maxBacklog;
    private int _seconds;

    /// <summary>Starts sampling.</summary>
    public BacklogMonitor(Func<long> backlog, IReadOnlyList<ProcessSampler> watched, TextWriter log)
    {
        _backlog = backlog;
        _watched = watched;
        _log = log;
        _timer = new Timer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The largest backlog seen so far.</summary>
    public long MaxBacklog
    {
        get { lock (_lock) return _maxBacklog; }
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        lock (_lock)
        {
            long backlog = _backlog();
            _maxBacklog = Math.Max(_maxBacklog, backlog);
            foreach (ProcessSampler sampler in _watched) sampler.Sample();
            if (++_seconds % 10 == 0) _log.WriteLine($"edgelstm-loadtest: {_seconds} s, backlog {backlog} frames");
        }
    }
}
