using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Runtime.Updates;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>Remote updates, swapped in between two samples (docs/runtime.md § Remote updates).</summary>
internal sealed partial class BoardPipeline
{
    private readonly TextWriter _log;
    private readonly TimeSpan _healthInterval;
    private RuntimeModel _model;
    private IReadOnlyList<AlarmRule> _rules;
    private UpdateWorker? _updates;
    private UpdateStore? _store;
    private string? _calibrationDirectory;
    private string _modelId = "";
    private Func<string, RuntimeModel, HelloFrame>? _helloFor;

    /// <summary>The rules the board decides with now (a thresholds update changes them).</summary>
    public IReadOnlyList<AlarmRule> Rules => _rules;

    /// <summary>The id of the model the board runs now.</summary>
    public string ModelId => _modelId;

    /// <summary>Updates applied, refused and rolled back so far.</summary>
    public (int Applied, int Refused, int RolledBack) UpdateCounts { get; private set; }

    /// <summary>
    /// Takes remote updates from <paramref name="updates"/>: applied between samples, persisted in <paramref name="store"/>,
    /// reported as Event frames (and a new Hello for a new model, made by <paramref name="helloFor"/>).
    /// </summary>
    public void AcceptUpdates(UpdateWorker updates, UpdateStore store, string modelId, string? calibrationDirectory, Func<string, RuntimeModel, HelloFrame> helloFor)
    {
        _updates = updates;
        _store = store;
        _modelId = modelId;
        _calibrationDirectory = calibrationDirectory;
        _helloFor = helloFor;
    }

    private void ApplyUpdates()
    {
        long elapsedMs = (_sampler.Frame.TimestampNanoseconds - _startNs) / 1_000_000;
        while (_updates!.TryTake(out PreparedUpdate update))
        {
            if (update.Refusal is null && update.Version <= _store!.Version)
                update = PreparedUpdate.Refused(update.Version, UpdateVerifier.RollbackProblem(update.Version, _store.Version)); // two prepared before either ran
            if (update.Refusal is { } reason)
            {
                Report(elapsedMs, BoardEventKind.UpdateRefused, update.Version, reason);
                UpdateCounts = UpdateCounts with { Refused = UpdateCounts.Refused + 1 };
                continue;
            }
            if (update.Kind == UpdateKind.Model) ApplyModel(update, elapsedMs);
            else ApplyThresholds(update, elapsedMs);
        }
    }

    private void ApplyModel(PreparedUpdate update, long elapsedMs)
    {
        RuntimeModel model = update.Model!;
        if (SelfCheckProblem(model) is { } problem)
        {
            Report(elapsedMs, BoardEventKind.UpdateRolledBack, update.Version,
                $"model {update.ModelId} failed its self-check ({problem}); the board stays on model {_modelId}.");
            UpdateCounts = UpdateCounts with { RolledBack = UpdateCounts.RolledBack + 1 };
            return;
        }
        var store = _calibrationDirectory is null ? null : new CalibrationStore(_calibrationDirectory, update.ModelId!, _log);
        Swap(model, update.Rules, store, elapsedMs);
        _store!.SaveModel(update.Version, update.ModelBytes);
        _modelId = update.ModelId!;
        _emitter.ChangeModel(model.Metadata.OutputNames, model.Metadata.OutputKind, _helloFor!(_modelId, model));
        Report(elapsedMs, BoardEventKind.UpdateApplied, update.Version,
            $"model {_modelId} runs from this sample on (state reset{(update.Rules.Any(r => r.Calibration is not null) ? ", alarms commission again" : "")}); kept in {_store.ModelPath}.");
        UpdateCounts = UpdateCounts with { Applied = UpdateCounts.Applied + 1 };
    }

    private void ApplyThresholds(PreparedUpdate update, long elapsedMs)
    {
        var store = _calibrationDirectory is null ? null : new CalibrationStore(_calibrationDirectory, _modelId, _log);
        Swap(_model, update.Rules, store, elapsedMs);
        _store!.SaveThresholds(update.Version, update.Thresholds);
        Report(elapsedMs, BoardEventKind.UpdateApplied, update.Version,
            "thresholds set: " + string.Join(", ", update.Thresholds.Select(t => FormattableString.Invariant($"{t.Alarm} raise above {t.Threshold:G6}, clear below {t.ClearThreshold:G6}"))) + ".");
        UpdateCounts = UpdateCounts with { Applied = UpdateCounts.Applied + 1 };
    }

    /// <summary>
    /// Whether <paramref name="model"/> gives finite outputs on the board's latest sample (repeated to fill a window),
    /// on an inference stage of its own that is then thrown away, so the running model is untouched until it passes.
    /// </summary>
    private string? SelfCheckProblem(RuntimeModel model)
    {
        try
        {
            var channels = new ChannelMap(model.Metadata.Channels, _sampler.Channels);
            using var inference = new InferenceStage(model);
            ReadOnlySpan<float> inputs = channels.ModelInputs(_sampler.Frame.Values);
            int steps = model.Metadata.Mode == Core.Model.ExecutionMode.Windowed ? model.Metadata.WindowLength : 1;
            bool produced = false;
            for (int i = 0; i < steps; i++) produced |= inference.Process(inputs);
            if (!produced) return "no output after a full window";
            if (inference.OutputFailed) return "its outputs are not finite";
            foreach (float value in inference.Output) if (!float.IsFinite(value)) return "its outputs are not finite";
            return null;
        }
#pragma warning disable CA1031 // any failure of a new model is a reason to stay on the old one
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>
    /// Replaces the stages that depend on the model or the rules; the sampler, emitter and alarm pin stay. The new
    /// decision stage starts with every alarm down, so each alarm raised now is reported cleared first (before the new
    /// Hello and the Event that says why), and the pin follows.
    /// </summary>
    private void Swap(RuntimeModel model, IReadOnlyList<AlarmRule> rules, CalibrationStore? calibration, long elapsedMs)
    {
        _decision.StandDown();
        EmitAlarmChanges(elapsedMs, degraded: false);
        var channels = new ChannelMap(model.Metadata.Channels, _sampler.Channels);
        var inference = model == _model ? _inference : new InferenceStage(model);
        var decision = new DecisionStage(rules, model.Metadata, _log, calibration);
        _health.Dispose();
        _decision.Flush();
        if (inference != _inference) _inference.Dispose();
        else _inference.Reset();
        (_channels, _inference, _decision, _model, _rules) = (channels, inference, decision, model, rules);
        _health = new HealthReporter(_sampler, _channels, _inference, _decision, _emitter, _healthInterval, _startNs);
        if (_anyRaised)
        {
            _anyRaised = false;
            _alarmOutput?.Set(false);
        }
    }

    private void Report(long elapsedMs, BoardEventKind kind, ulong version, string message)
    {
        _log.WriteLine($"edgelstm: update {version}: {kind switch { BoardEventKind.UpdateApplied => "applied", BoardEventKind.UpdateRefused => "refused", _ => "rolled back" }}: {message}");
        _emitter.EmitEvent(elapsedMs, kind, version, _modelId, message);
    }
}
