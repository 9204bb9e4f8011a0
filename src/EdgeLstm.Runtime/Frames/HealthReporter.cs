using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Assembles the Health frame every interval of board time: the sampler's counters, inference latency since the
/// previous frame, what the sinks queued and dropped, and the CPU temperature. Allocation-free after construction.
/// </summary>
internal sealed class HealthReporter : IDisposable
{
    private readonly Sampler _sampler;
    private readonly FrameEmitter _emitter;
    private readonly uint[] _readErrors;
    private readonly LatencyHistogram _latency = new();
    private readonly CpuTemperature _cpuTemperature = new();
    private readonly long _intervalNs;
    private readonly long _startNs;
    private long _nextNs;

    /// <summary>Reports on <paramref name="sampler"/> through <paramref name="emitter"/>; an interval of zero turns periodic frames off.</summary>
    public HealthReporter(Sampler sampler, FrameEmitter emitter, TimeSpan interval, long startNanoseconds)
    {
        _sampler = sampler;
        _emitter = emitter;
        _readErrors = new uint[sampler.Channels.Count];
        _intervalNs = (long)interval.TotalMilliseconds * 1_000_000;
        _startNs = startNanoseconds;
        _nextNs = startNanoseconds + _intervalNs;
    }

    /// <summary>Records how long one inference took.</summary>
    public void RecordInference(long microseconds) => _latency.Record(microseconds);

    /// <summary>Emits a Health frame when the interval has passed at <paramref name="nowNs"/> (board clock).</summary>
    public void OnSample(long nowNs)
    {
        if (_intervalNs <= 0 || nowNs < _nextNs) return;
        Emit(nowNs);
        _nextNs += _intervalNs;
        if (_nextNs <= nowNs) _nextNs = nowNs + _intervalNs;
    }

    /// <summary>Emits a Health frame now (the last one, at shutdown).</summary>
    public void Emit(long nowNs)
    {
        SamplerCounters counters = _sampler.Counters;
        for (int c = 0; c < _readErrors.Length; c++)
            _readErrors[c] = (uint)Math.Min(uint.MaxValue, counters.Channels[c].ReadErrors + counters.Channels[c].InvalidValues);
        JournalCounters? journal = _emitter.Journal?.Counters;
        var health = new HealthFrame
        {
            UptimeSeconds = (uint)((nowNs - _startNs) / 1_000_000_000),
            SamplesRead = (ulong)counters.Samples,
            Overruns = (uint)Math.Min(uint.MaxValue, counters.Overruns),
            ChannelReadErrors = _readErrors,
            InferenceP50Us = (uint)_latency.Percentile(0.5),
            InferenceP99Us = (uint)_latency.Percentile(0.99),
            InferenceMaxUs = (uint)_latency.MaxMicroseconds,
            SendQueueDepth = (uint)_emitter.QueueDepth,
            SendQueueDrops = (uint)Math.Min(uint.MaxValue, _emitter.Drops),
            CpuTemperatureMilliCelsius = _cpuTemperature.ReadMilliCelsius(),
            // Written and unacknowledged, plus what still waits in the journal's queue to be written.
            JournalBacklog = (uint)Math.Clamp(journal is { } j ? j.Backlog + j.Appended - j.Written : 0, 0, uint.MaxValue),
            JournalEvictions = (ulong)(journal?.Evicted ?? 0),
            JournalDamaged = (uint)Math.Clamp(journal?.DamagedSegments ?? 0, 0, uint.MaxValue),
        };
        _emitter.EmitHealth(health, (nowNs - _startNs) / 1_000_000);
        _latency.Reset();
    }

    /// <inheritdoc />
    public void Dispose() => _cpuTemperature.Dispose();
}
