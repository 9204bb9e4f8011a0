using System.Diagnostics;
using EdgeLstm.Core.Model;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>
/// The board's one-way data flow: sampler → normalizer → predictor → decision → frames → sinks. Built once at
/// start-up; <see cref="ProcessSample"/> is the hot path and allocates nothing.
/// </summary>
internal sealed class BoardPipeline : IDisposable
{
    private readonly Sampler _sampler;
    private readonly AlarmOutput? _alarmOutput;
    private readonly InferenceStage _inference;
    private readonly FrameEmitter _emitter;
    private readonly DecisionRule[] _rules;
    private readonly AnomalyScorer[] _scorers;
    private readonly AlarmTracker[] _trackers;
    private readonly bool[] _commissioningReported;
    private readonly int[] _channelMap;     // model input i ← sampler channel _channelMap[i]
    private readonly float[] _raw;
    private readonly uint[] _readErrors;
    private readonly LatencyHistogram _latency = new();
    private readonly CpuTemperature _cpuTemperature = new();
    private readonly long _healthIntervalNs;
    private readonly long _startNs;
    private readonly TextWriter _log;
    private long _nextHealthNs;
    private long _predictions;
    private long _alarmChanges;
    private bool _alarmPinActive;

    public BoardPipeline(Sampler sampler, AlarmOutput? alarmOutput, RuntimeModel model, IReadOnlyList<DecisionRule> rules,
        FrameEmitter emitter, TimeSpan healthInterval, TextWriter log)
    {
        _sampler = sampler;
        _alarmOutput = alarmOutput;
        _inference = new InferenceStage(model);
        _emitter = emitter;
        _log = log;
        _rules = [.. rules];
        _scorers = new AnomalyScorer[_rules.Length];
        _trackers = new AlarmTracker[_rules.Length];
        _commissioningReported = new bool[_rules.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            _scorers[r] = AnomalyScorer.Create(_rules[r].Score, _rules[r].Output, model.Metadata, out string? problem)
                ?? throw new ArgumentException(problem);
            _trackers[r] = new AlarmTracker(_rules[r].Alarm);
        }
        _channelMap = MapChannels(model.Metadata.Channels, sampler.Channels);
        _raw = new float[_channelMap.Length];
        _readErrors = new uint[sampler.Channels.Count];
        _healthIntervalNs = (long)healthInterval.TotalMilliseconds * 1_000_000;
        _startNs = sampler.Clock.NowNanoseconds;
        _nextHealthNs = _startNs + _healthIntervalNs;
    }

    /// <summary>Predictions emitted so far.</summary>
    public long Predictions => _predictions;

    /// <summary>Alarm raises and clears so far.</summary>
    public long AlarmChanges => _alarmChanges;

    /// <summary>True while any alarm is raised (and the alarm pin, if any, is driven).</summary>
    public bool AnyAlarmRaised => _alarmPinActive;

    /// <summary>Streaming or windowed, as the model runs.</summary>
    public Core.Model.ExecutionMode Mode => _inference.Mode;

    /// <summary>The sampler feeding the pipeline.</summary>
    public Sampler Sampler => _sampler;

    /// <summary>
    /// Samples until cancelled, the duration is reached, or a replayed recording ends; then emits a last Health
    /// frame and flushes every sink. Returns the number of samples processed.
    /// </summary>
    public long Run(CancellationToken cancellationToken, TimeSpan? duration = null)
    {
        long endNs = duration is { } d ? _startNs + (long)(d.TotalMilliseconds * 1_000_000) : long.MaxValue;
        long samples = 0;
        while (!cancellationToken.IsCancellationRequested && Step(endNs, cancellationToken)) samples++;
        EmitHealth(_sampler.Frame.TimestampNanoseconds);
        _emitter.Flush();
        return samples;
    }

    /// <summary>
    /// Waits for the next sample (on a real-time clock; a fast clock does not wait), takes it and runs it through
    /// <see cref="ProcessSample"/>. Returns false, having processed nothing, when cancelled, when a replayed recording
    /// ended, or when the sample's time is at or past <paramref name="endNanoseconds"/> (board clock).
    /// </summary>
    public bool Step(long endNanoseconds = long.MaxValue, CancellationToken cancellationToken = default)
    {
        if (!_sampler.WaitAndSample(cancellationToken) || _sampler.Frame.TimestampNanoseconds >= endNanoseconds) return false;
        ProcessSample(_sampler.Frame);
        return true;
    }

    /// <summary>Runs one sample through normalization, inference, decision and emission.</summary>
    public void ProcessSample(SampleFrame frame)
    {
        ReadOnlySpan<float> values = frame.Values;
        for (int i = 0; i < _channelMap.Length; i++) _raw[i] = values[_channelMap[i]];
        bool degraded = frame.HeldCount > 0 || frame.BadCount > 0;
        uint timeMs = (uint)((frame.TimestampNanoseconds - _startNs) / 1_000_000);

        long started = Stopwatch.GetTimestamp();
        bool produced = _inference.Process(_raw);
        _latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        ReadOnlySpan<float> output = _inference.Output;
        bool anyRaised = false;
        // Every rule sees every sample (NaN when the model produced nothing), so commissioning counts samples.
        for (int r = 0; r < _scorers.Length; r++)
        {
            float score = produced ? _scorers[r].Score(_inference.Normalized, output) : float.NaN;
            AlarmTracker tracker = _trackers[r];
            if (tracker.Update(score, r, out AlarmChange change))
            {
                uint durationMs = (uint)Math.Min(uint.MaxValue, change.DurationSamples * _sampler.PeriodNanoseconds / 1_000_000);
                _emitter.EmitAlarm(timeMs, change.Raised, _scorers[r].AlarmClassIndex, tracker.Rule.Name, change.Score, durationMs);
                _alarmChanges++;
            }
            anyRaised |= tracker.IsRaised;
            if (!_commissioningReported[r] && tracker.Rule.Calibration is not null && (tracker.IsArmed || tracker.CalibrationFailed))
                ReportCommissioning(tracker, r);
        }
        if (anyRaised != _alarmPinActive)
        {
            _alarmPinActive = anyRaised;
            _alarmOutput?.Set(anyRaised);
        }
        if (produced)
        {
            float score = _trackers.Length > 0 ? _trackers[0].SmoothedScore : float.NaN;
            float anomaly = _trackers.Length > 0 ? ToAnomaly(_rules[0], _trackers[0], score) : 0f;
            _emitter.EmitPrediction(timeMs, output, score, anomaly, degraded);
            _predictions++;
        }
        if (_healthIntervalNs > 0 && frame.TimestampNanoseconds >= _nextHealthNs)
        {
            EmitHealth(frame.TimestampNanoseconds);
            _nextHealthNs += _healthIntervalNs;
            if (_nextHealthNs <= frame.TimestampNanoseconds) _nextHealthNs = frame.TimestampNanoseconds + _healthIntervalNs;
        }
    }

    /// <summary>
    /// The wire's anomaly value in [0, 1]: probability-like scores as they are; residual scores relative to the
    /// raise threshold, so 0.5 means "at the threshold" (docs/runtime.md).
    /// </summary>
    private static float ToAnomaly(DecisionRule rule, AlarmTracker tracker, float score) =>
        rule.Score is ScoreKind.Output or ScoreKind.NotFirstOutput ? score
        : tracker.IsArmed && tracker.RaiseAbove > 0 ? score / (2 * tracker.RaiseAbove)
        : 0f;

    /// <summary>Logs once what commissioning decided, so the engineer at the pump sees the thresholds in force.</summary>
    private void ReportCommissioning(AlarmTracker tracker, int rule)
    {
        _commissioningReported[rule] = true;
        _log.WriteLine(tracker.CalibrationFailed
            ? $"edgelstm: alarm '{tracker.Rule.Name}': commissioning saw no score in its {tracker.Rule.Calibration!.Samples} samples; the alarm stays off"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"edgelstm: alarm '{tracker.Rule.Name}' commissioned on {tracker.Rule.Calibration!.Samples} samples: raise above {tracker.RaiseAbove:G5}, clear below {tracker.ClearBelow:G5}"));
    }

    private void EmitHealth(long nowNs)
    {
        SamplerCounters counters = _sampler.Counters;
        for (int c = 0; c < _readErrors.Length; c++)
            _readErrors[c] = (uint)Math.Min(uint.MaxValue, counters.Channels[c].ReadErrors + counters.Channels[c].InvalidValues);
        var health = new HealthFrame
        {
            Sequence = _emitter.FramesEmitted,
            TimeMs = (uint)((nowNs - _startNs) / 1_000_000),
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
        };
        _emitter.EmitHealth(health);
        _latency.Reset();
    }

    /// <summary>Maps each model channel to the sampler channel of the same name.</summary>
    private static int[] MapChannels(IReadOnlyList<ChannelInfo> modelChannels, IReadOnlyList<ChannelSpec> boardChannels)
    {
        var map = new int[modelChannels.Count];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = -1;
            for (int c = 0; c < boardChannels.Count; c++)
                if (string.Equals(boardChannels[c].Name, modelChannels[i].Name, StringComparison.Ordinal)) map[i] = c;
            if (map[i] < 0)
                throw new ArgumentException($"the model's channel '{modelChannels[i].Name}' is not on the board");
        }
        return map;
    }

    public void Dispose()
    {
        _cpuTemperature.Dispose();
        _inference.Dispose();
        if (_alarmPinActive) _alarmOutput?.Set(false);
    }
}
