using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Assembles the Health frame every interval of board time: the sampler's counters, inference latency since the
/// previous frame, what the sinks queued and dropped, the CPU temperature and the alarm thresholds in force. Per-channel counts are in the model's
/// channel order, the order of the Hello's channel names. Allocation-free after construction.
/// </summary>
internal sealed class HealthReporter : IDisposable
{
    private readonly Sampler _sampler;
    private readonly FrameEmitter _emitter;
    private readonly ChannelMap _channels;
    private readonly InferenceStage _inference;
    private readonly DecisionStage _decision;
    private readonly float[] _thresholds;
    private readonly uint[] _readErrors;
    private readonly uint[] _readTimeouts;
    private readonly uint[] _nonFinite;
    private readonly LatencyHistogram _latency = new();
    private readonly CpuTemperature _cpuTemperature = new();
    private readonly long _intervalNs;
    private readonly long _startNs;
    private long _nextNs;

    /// <summary>Reports on <paramref name="sampler"/> through <paramref name="emitter"/>; an interval of zero turns periodic frames off.</summary>
    public HealthReporter(Sampler sampler, ChannelMap channels, InferenceStage inference, DecisionStage decision, FrameEmitter emitter, TimeSpan interval,
        long startNanoseconds)
    {
        _decision = decision;
        _thresholds = new float[2 * decision.RuleCount];
        _sampler = sampler;
        _channels = channels;
        _inference = inference;
        _emitter = emitter;
        _readErrors = new uint[channels.Count];
        _readTimeouts = new uint[channels.Count];
        _nonFinite = new uint[channels.Count];
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
        ReadOnlySpan<long> nonFinite = _inference.NonFiniteInputs;
        for (int m = 0; m < _readErrors.Length; m++)
        {
            ChannelCounters channel = counters.Channels[_channels.BoardChannelOf(m)];
            _readErrors[m] = Saturate(channel.ReadErrors + channel.InvalidValues);
            _readTimeouts[m] = Saturate(channel.Timeouts);
            _nonFinite[m] = Saturate(nonFinite[m]);
        }
        _decision.WriteThresholds(_thresholds);
        JournalCounters? journal = _emitter.Journal?.Counters;
        var health = new HealthFrame
        {
            UptimeSeconds = (uint)((nowNs - _startNs) / 1_000_000_000),
            SamplesRead = (ulong)counters.Samples,
            Overruns = (uint)Math.Min(uint.MaxValue, counters.Overruns),
            ChannelReadErrors = _readErrors,
            ChannelReadTimeouts = _readTimeouts,
            ChannelNonFinite = _nonFinite,
            ModelResets = Saturate(_inference.ModelResets),
            AlarmThresholds = _thresholds,
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

    private static uint Saturate(long count) => (uint)Math.Clamp(count, 0, uint.MaxValue);

    /// <inheritdoc />
    public void Dispose() => _cpuTemperature.Dispose();
}
