using System.Diagnostics;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>
/// The board's one-way data flow, and nothing else: sampler → channel map → inference → decision → frames → sinks,
/// with the alarm pin following the decision and Health frames on their interval. Built once at start-up;
/// <see cref="ProcessSample"/> is the hot path and allocates nothing.
/// </summary>
internal sealed partial class BoardPipeline : IDisposable
{
    private readonly Sampler _sampler;
    private readonly AlarmOutput? _alarmOutput;
    private ChannelMap _channels;
    private InferenceStage _inference;
    private DecisionStage _decision;
    private readonly FrameEmitter _emitter;
    private HealthReporter _health;
    private readonly long _startNs;
    private long _predictions;
    private long _alarmChanges;
    private bool _anyRaised;

    public BoardPipeline(Sampler sampler, AlarmOutput? alarmOutput, RuntimeModel model, IReadOnlyList<AlarmRule> rules,
        FrameEmitter emitter, TimeSpan healthInterval, TextWriter log, CalibrationStore? calibration = null)
    {
        _sampler = sampler;
        _alarmOutput = alarmOutput;
        _channels = new ChannelMap(model.Metadata.Channels, sampler.Channels);
        _inference = new InferenceStage(model);
        _decision = new DecisionStage(rules, model.Metadata, log, calibration);
        _emitter = emitter;
        _startNs = sampler.Clock.NowNanoseconds;
        _health = new HealthReporter(sampler, _channels, _inference, _decision, emitter, healthInterval, _startNs);
        _log = log;
        _healthInterval = healthInterval;
        _model = model;
        _rules = rules;
    }

    /// <summary>Predictions emitted so far.</summary>
    public long Predictions => _predictions;

    /// <summary>Alarm raises and clears so far.</summary>
    public long AlarmChanges => _alarmChanges;

    /// <summary>True while any alarm is raised (and the alarm pin, if any, is driven).</summary>
    public bool AnyAlarmRaised => _anyRaised;

    /// <summary>Streaming or windowed, as the model runs.</summary>
    public Core.Model.ExecutionMode Mode => _inference.Mode;

    /// <summary>The sampler feeding the pipeline.</summary>
    public Sampler Sampler => _sampler;

    /// <summary>
    /// Samples until cancelled, the duration is reached, or a replayed recording ends; then emits a last Health
    /// frame and flushes every sink. Returns the number of samples processed. <paramref name="systemd"/>, if given, is
    /// told of every sample from this loop (READY, then watchdog pets) and of the stop.
    /// </summary>
    public long Run(CancellationToken cancellationToken, TimeSpan? duration = null, SystemdNotifier? systemd = null)
    {
        long endNs = duration is { } d ? _startNs + (long)(d.TotalMilliseconds * 1_000_000) : long.MaxValue;
        long samples = 0;
        while (!cancellationToken.IsCancellationRequested && Step(endNs, cancellationToken))
        {
            samples++;
            if (_updates is { HasWork: true }) ApplyUpdates(); // between two samples; a field read otherwise
            systemd?.OnSample(); // here, not on a timer: a wedged loop must stop the pets
        }
        systemd?.Stopping(); // before the flush, which may wait for acknowledgements longer than the watchdog allows
        _health.Emit(_sampler.Frame.TimestampNanoseconds);
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

    /// <summary>Runs one sample through the channel map, inference, decision and emission.</summary>
    public void ProcessSample(SampleFrame frame) => ProcessValues(frame.Values, frame.TimestampNanoseconds, frame.IsDegraded);

    /// <summary>
    /// Runs one sample's board channel values (in <see cref="Sensors.Sampler.Channels"/> order) taken at
    /// <paramref name="timestampNanoseconds"/> through the channel map, inference, decision and emission: what
    /// <see cref="ProcessSample"/> does with a sampled frame, and what <c>validate</c> does with chosen values.
    /// </summary>
    public void ProcessValues(ReadOnlySpan<float> values, long timestampNanoseconds, bool inputDegraded)
    {
        long elapsedMs = (timestampNanoseconds - _startNs) / 1_000_000;
        long started = Stopwatch.GetTimestamp();
        bool produced = _inference.Process(_channels.ModelInputs(values));
        _health.RecordInference((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);

        // One definition of degraded: a channel held or bad, a value replaced because it was not finite, or the model reset.
        bool degraded = inputDegraded || _inference.InputReplaced || _inference.OutputFailed;
        DecisionResult decision = _decision.Decide(produced, _inference.Normalized, _inference.Output, degraded);
        EmitAlarmChanges(elapsedMs, degraded);
        if (decision.AnyRaised != _anyRaised)
        {
            _anyRaised = decision.AnyRaised;
            _alarmOutput?.Set(_anyRaised);
        }
        if (produced)
        {
            _emitter.EmitPrediction(elapsedMs, _inference.Output, decision.Score, decision.Anomaly, degraded, _inference.OutputFailed);
            _predictions++;
        }
        _health.OnSample(timestampNanoseconds);
    }

    /// <summary>Reports the decision stage's alarm changes at the latest sample (or its stand-down) as Alarm frames.</summary>
    private void EmitAlarmChanges(long elapsedMs, bool degraded)
    {
        foreach (AlarmEvent alarm in _decision.Changes)
        {
            uint durationMs = (uint)Math.Min(uint.MaxValue, alarm.Change.DurationSamples * _sampler.PeriodNanoseconds / 1_000_000);
            _emitter.EmitAlarm(elapsedMs, alarm.Change.Raised, alarm.ClassIndex, alarm.Name, alarm.Change.Score, durationMs, degraded);
            _alarmChanges++;
        }
    }

    /// <summary>Emits a Health frame now, off its interval (<c>validate</c> encodes one of every frame).</summary>
    public void EmitHealth() => _health.Emit(_sampler.Frame.TimestampNanoseconds);

    public void Dispose()
    {
        _health.Dispose();
        _inference.Dispose();
        _decision.Flush();
        if (_anyRaised) _alarmOutput?.Set(false);
    }
}
