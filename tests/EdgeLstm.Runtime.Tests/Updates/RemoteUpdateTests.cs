using System.Security.Cryptography;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Tests.Sinks;
using EdgeLstm.Runtime.Updates;

namespace EdgeLstm.Runtime.Tests.Updates;

/// <summary>
/// Remote updates through a real MQTT broker into <c>edgelstm run</c> as it ships: a signed model is swapped in between two
/// samples (a new Hello with the new id, an Event), kept so the next start runs it; a rollback, a forged update and a model
/// that fails its self-check are refused and reported; the board runs on throughout. Every wait is bounded.
/// </summary>
public sealed class RemoteUpdateTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly MqttAckingCollector _collector = new();
    private readonly TestBoard _board;
    private readonly UpdateKit _kit;
    private readonly string _journal;
    private readonly StringWriter _logText = new();

    public RemoteUpdateTests()
    {
        _board = new TestBoard(sinks: $$"""[ { "type": "mqtt", "broker": "{{_collector.Uri}}" } ]""");
        _kit = new UpdateKit(_board);
        _journal = Path.Combine(_board.Directory, "journal");
    }

    public void Dispose()
    {
        _kit.Dispose();
        _board.Dispose();
        _collector.Dispose();
    }

    private RunOptions Options(RunSpeed speed, TimeSpan? duration = null) =>
        new(_board.ConfigPath, null, duration, speed, OutputFormat.Text, Journal: _journal, DeviceId: UpdateKit.Device, TrustedKeys: [_kit.PublicKeyPath]);

    /// <summary>Runs the board in real time on a thread of its own until the returned source is cancelled.</summary>
    private (Task<int> Run, CancellationTokenSource Stop) Start()
    {
        var stop = new CancellationTokenSource();
        TextWriter log = TextWriter.Synchronized(_logText);
        Task<int> run = Task.Run(() => RunCommand.Run(Options(RunSpeed.Realtime), Stream.Null, log, stop.Token));
        Assert.True(_collector.WaitUntil(c => Events(c).Count == 0 && Hellos(c).Count >= 1, Patience), $"no Hello; log:\n{_logText}");
        return (run, stop);
    }

    /// <summary>Stops the board as SIGTERM does and returns its exit code (-1 if it did not stop in time).</summary>
    private static int Stop(Task<int> run, CancellationTokenSource stop)
    {
        stop.Cancel();
        return run.Wait(Patience) ? run.Result : -1;
    }

    private static List<HelloFrame> Hellos(MqttAckingCollector collector) =>
        [.. collector.Frames().Values.Where(f => f.Type == FrameType.Hello).Select(f => PayloadDecoder.Decode(f.Payload).Hello)];

    private static List<EventFrame> Events(MqttAckingCollector collector) =>
        [.. collector.Frames().Values.Where(f => f.Type == FrameType.Event).Select(f => PayloadDecoder.Decode(f.Payload).Event)];

    private EventFrame NextEvent(int count)
    {
        Assert.True(_collector.WaitUntil(c => Events(c).Count >= count, Patience), $"{Events(_collector).Count} events; log:\n{_logText}");
        return Events(_collector)[count - 1];
    }

    private void Push(UpdateCommand command, ECDsa? key = null) => _collector.Publish(MqttTopics.For(UpdateKit.Device, MqttTopics.Command), _kit.Seal(command, key));

    [Fact]
    public void A_signed_model_is_swapped_in_kept_for_the_next_start_and_a_rollback_and_a_forgery_are_refused()
    {
        string oldId = ModelFile.ComputeModelId(File.ReadAllBytes(_board.ModelPath));
        byte[] model = _kit.SignedModelBytes(UpdateKit.RetrainedModel());
        string newId = ModelFile.ComputeModelId(model);
        (Task<int> run, CancellationTokenSource stop) = Start();
        using (stop)
        {
            Push(UpdateKit.ModelCommand(model, 5));
            EventFrame applied = NextEvent(1);
            Assert.Equal((BoardEventKind.UpdateApplied, 5ul, newId), (applied.Kind, applied.UpdateVersion, applied.ModelId));
            Assert.True(_collector.WaitUntil(c => Hellos(c).Any(h => h.ModelId == newId), Patience));
            HelloFrame first = Hellos(_collector)[0], second = Hellos(_collector).Single(h => h.ModelId == newId);
            Assert.Equal(oldId, first.ModelId);
            Assert.NotEqual(first.SessionId, second.SessionId);
            Assert.Equal(first.EpochUnixMs, second.EpochUnixMs);

            Push(UpdateKit.ModelCommand(_kit.SignedModelBytes(UpdateKit.RetrainedModel(1.0f)), 4));
            EventFrame rollback = NextEvent(2);
            Assert.Equal((BoardEventKind.UpdateRefused, 4ul, newId), (rollback.Kind, rollback.UpdateVersion, rollback.ModelId));
            Assert.Contains("not above the last accepted version 5", rollback.Message);

            using ECDsa forger = Core.Signing.SigningKeys.Generate();
            Push(UpdateKit.ModelCommand(_kit.SignedModelBytes(UpdateKit.RetrainedModel(1.0f), forger), 6), forger);
            EventFrame forged = NextEvent(3);
            Assert.Equal(BoardEventKind.UpdateRefused, forged.Kind);
            Assert.Contains("does not trust", forged.Message);

            // Predictions go on after the swap: the board never stopped.
            ulong lastEvent = _collector.Frames().Last(f => f.Value.Type == FrameType.Event).Key;
            Assert.True(_collector.WaitUntil(c => c.Frames().Any(f => f.Key > lastEvent && f.Value.Type == FrameType.Prediction), Patience));
            Assert.Equal(ExitCodes.Success, Stop(run, stop));
        }

        UpdateStore store = UpdateStore.Open(_journal);
        Assert.Equal(5ul, store.Version);
        Assert.Equal(model, File.ReadAllBytes(store.ModelPath!));
        // The next start comes up on the updated model.
        var log = new StringWriter();
        Assert.Equal(ExitCodes.Success, RunCommand.Run(Options(RunSpeed.Max, TimeSpan.FromSeconds(2)), Stream.Null, log, default));
        Assert.Contains($"running model {newId} from update 5", log.ToString());
    }

    [Fact]
    public void A_model_that_fails_its_self_check_is_rolled_back_and_thresholds_update_in_place()
    {
        (Task<int> run, CancellationTokenSource stop) = Start();
        using (stop)
        {
            Push(UpdateKit.ModelCommand(_kit.SignedModelBytes(UpdateKit.OverflowingModel()), 7));
            EventFrame rolledBack = NextEvent(1);
            Assert.Equal(BoardEventKind.UpdateRolledBack, rolledBack.Kind);
            Assert.Contains("failed its self-check", rolledBack.Message);
            Assert.Equal(ModelFile.ComputeModelId(File.ReadAllBytes(_board.ModelPath)), rolledBack.ModelId);

            Push(UpdateKit.ThresholdsCommand(8, new ThresholdUpdate("anomaly", 0.9f, 0.7f)));
            EventFrame thresholds = NextEvent(2);
            Assert.True(thresholds.Kind == BoardEventKind.UpdateApplied, thresholds.Message);
            Assert.Contains("anomaly raise above 0.9, clear below 0.7", thresholds.Message);
            Assert.True(_collector.WaitUntil(c => c.Frames().Values.Where(f => f.Type == FrameType.Health)
                .Any(f => PayloadDecoder.Decode(f.Payload).Health.AlarmThresholds.ToArray() is [0.9f, 0.7f]), Patience), $"log:\n{_logText}");
            Assert.Equal(ExitCodes.Success, Stop(run, stop));
        }
        UpdateStore store = UpdateStore.Open(_journal);
        Assert.Equal(8ul, store.Version);
        Assert.Null(store.ModelFile);
        Assert.Equal(new ThresholdUpdate("anomaly", 0.9f, 0.7f), Assert.Single(store.Thresholds));
    }

    [Fact]
    public void An_alarm_raised_when_an_update_swaps_the_decision_stage_is_reported_cleared_before_the_update_event()
    {
        (Task<int> run, CancellationTokenSource stop) = Start();
        using (stop)
        {
            // The test board's current steps up at 5 s: P(fault) ≈ 1 raises the alarm (threshold 0.5).
            Assert.True(_collector.WaitUntil(c => Alarms(c).Any(a => a.Frame.Raised), Patience), $"no alarm raised; log:\n{_logText}");
            Push(UpdateKit.ThresholdsCommand(8, new ThresholdUpdate("anomaly", 0.9f, 0.7f)));
            EventFrame applied = NextEvent(1);
            Assert.True(applied.Kind == BoardEventKind.UpdateApplied, applied.Message);
            // The fault goes on, so the new stage raises again under the new thresholds.
            Assert.True(_collector.WaitUntil(c => Alarms(c).Count(a => a.Frame.Raised) >= 2, Patience), $"no second raise; log:\n{_logText}");
            Assert.Equal(ExitCodes.Success, Stop(run, stop));
        }
        List<(ulong Sequence, AlarmFrame Frame)> alarms = Alarms(_collector);
        ulong eventSequence = _collector.Frames().Single(f => f.Value.Type == FrameType.Event).Key;
        Assert.True(alarms.Count == 3, string.Join(", ", alarms.Select(a => $"#{a.Sequence} {(a.Frame.Raised ? "raised" : "cleared")}")));
        Assert.True(alarms[0].Frame.Raised);
        Assert.False(alarms[1].Frame.Raised);
        Assert.True(alarms[1].Sequence < eventSequence && eventSequence < alarms[2].Sequence, $"cleared #{alarms[1].Sequence}, event #{eventSequence}, raised #{alarms[2].Sequence}");
        Assert.True(alarms[2].Frame.Raised);
        Assert.True(alarms[1].Frame.DurationMs > 0);
    }

    private static List<(ulong Sequence, AlarmFrame Frame)> Alarms(MqttAckingCollector collector) =>
        [.. collector.Frames().Where(f => f.Value.Type == FrameType.Alarm).Select(f => (f.Key, PayloadDecoder.Decode(f.Value.Payload).Alarm))];
}
