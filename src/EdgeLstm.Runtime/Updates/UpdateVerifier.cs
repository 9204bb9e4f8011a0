using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Inference;

namespace EdgeLstm.Runtime.Updates;

/// <summary>
/// Turns a command's bytes into a <see cref="PreparedUpdate"/>, refusing anything not signed by a pinned key, for
/// another board, not newer than the last accepted version (rollback, replay), expired, or not fitting this board
/// (the rules <c>validate</c> applies). Nothing here changes what the board runs: the pipeline swaps later.
/// </summary>
internal sealed class UpdateVerifier(RuntimeSetup setup, Func<ulong> acceptedVersion, Func<IReadOnlyList<AlarmRule>> currentRules, TimeProvider clock)
{
    /// <summary>Checks one command; never throws for bad input.</summary>
    public PreparedUpdate Verify(ReadOnlyMemory<byte> message)
    {
        UpdateCommand command;
        try
        {
            command = UpdateCommandCodec.Decode(SignedMessage.Open(message, setup.Trust, "the update"));
        }
        catch (SignatureException e)
        {
            return PreparedUpdate.Refused(0, e.Message);
        }
        catch (UpdateCommandException e)
        {
            return PreparedUpdate.Refused(0, $"signed, but {e.Message}");
        }

        ulong version = command.Version;
        if (command.DeviceId != setup.DeviceId)
            return PreparedUpdate.Refused(version, $"the update is for device '{command.DeviceId}', not this board ('{setup.DeviceId}').");
        ulong accepted = acceptedVersion();
        if (version <= accepted)
            return PreparedUpdate.Refused(version, RollbackProblem(version, accepted));
        ulong now = (ulong)clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (command.ExpiresUnixMs <= now)
        {
            return PreparedUpdate.Refused(version, string.Create(CultureInfo.InvariantCulture,
                $"the update expired at {DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(command.ExpiresUnixMs, long.MaxValue)):u} (board clock {DateTimeOffset.FromUnixTimeMilliseconds((long)now):u})."));
        }
        return command.Kind == UpdateKind.Model ? PrepareModel(command) : PrepareThresholds(command);
    }

    private PreparedUpdate PrepareModel(UpdateCommand command)
    {
        byte[] bytes = command.Model.ToArray();
        RuntimeModel model;
        try
        {
            // The file must carry its own signature too: the board verifies it again at every start.
            ModelSignature.Verify(bytes, setup.Trust);
            model = RuntimeModel.FromCore(ModelFile.Load(bytes));
        }
        catch (SignatureException e)
        {
            return PreparedUpdate.Refused(command.Version, $"the update's model file: {e.Message}");
        }
        catch (InvalidModelException e)
        {
            return PreparedUpdate.Refused(command.Version, $"the update's model is not usable: {e.Message}");
        }
        List<string> problems = RuntimeSetup.FitProblems(setup.Board, setup.Sections, model, out IReadOnlyList<AlarmRule> rules, out _);
        if (problems.Count > 0)
        {
            return PreparedUpdate.Refused(command.Version, $"the update's model does not fit this board: {string.Join("; ", problems)}");
        }
        return new PreparedUpdate(command.Version, null) { Kind = UpdateKind.Model, Model = model, ModelId = ModelFile.ComputeModelId(bytes), ModelBytes = bytes, Rules = rules };
    }

    private PreparedUpdate PrepareThresholds(UpdateCommand command)
    {
        IReadOnlyList<AlarmRule> rules = currentRules();
        foreach (ThresholdUpdate t in command.Thresholds)
        {
            if (!rules.Any(r => r.Name == t.Alarm))
                return PreparedUpdate.Refused(command.Version, $"this board has no alarm '{t.Alarm}' (its alarms: {(rules.Count == 0 ? "none" : string.Join(", ", rules.Select(r => r.Name)))}).");
        }
        return new PreparedUpdate(command.Version, null) { Kind = UpdateKind.Thresholds, Rules = WithThresholds(rules, command.Thresholds), Thresholds = command.Thresholds };
    }

    /// <summary>Why an update of <paramref name="version"/> is refused after <paramref name="accepted"/> was accepted.</summary>
    public static string RollbackProblem(ulong version, ulong accepted) =>
        $"version {version} is not above the last accepted version {accepted}: a rollback or a replay.";

    /// <summary><paramref name="rules"/> with the thresholds of the alarms named in <paramref name="thresholds"/> set (and no longer commissioned).</summary>
    public static IReadOnlyList<AlarmRule> WithThresholds(IReadOnlyList<AlarmRule> rules, IReadOnlyList<ThresholdUpdate> thresholds) =>
        [.. rules.Select(r => thresholds.LastOrDefault(t => t.Alarm == r.Name) is { } t ? r with { Threshold = t.Threshold, ClearThreshold = t.ClearThreshold, Calibration = null } : r)];
}
