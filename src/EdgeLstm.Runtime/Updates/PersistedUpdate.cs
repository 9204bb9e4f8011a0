using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Inference;

namespace EdgeLstm.Runtime.Updates;

/// <summary>At start: the board comes up on what remote updates left (<see cref="UpdateStore"/>), not on the config's model.</summary>
internal static class PersistedUpdate
{
    /// <summary>
    /// <paramref name="setup"/> with the updated model and threshold overrides of <paramref name="store"/>. A kept model that
    /// no longer passes the board's checks (its signature, the pinned keys, the board and its memory budget) is not run: the configured model
    /// is, with a warning in the log, so a damaged SD card never stops the board.
    /// </summary>
    public static RuntimeSetup Apply(RuntimeSetup setup, UpdateStore store, TextWriter log)
    {
        if (store.ModelPath is { } path)
        {
            try
            {
                byte[] bytes = ModelFile.ReadFile(path);
                ModelSignature.Verify(bytes, setup.Trust);
                RuntimeModel model = RuntimeModel.FromCore(ModelFile.Load(bytes));
                List<string> problems = RuntimeSetup.FitProblems(setup.Board, setup.Sections, model, out IReadOnlyList<AlarmRule> rules, out _);
                if (problems.Count > 0) throw new InvalidModelException(string.Join("; ", problems));
                setup = setup with { Model = model, ModelPath = path, ModelId = ModelFile.ComputeModelId(bytes), Rules = rules };
                log.WriteLine($"edgelstm: running model {setup.ModelId} from update {store.Version} ({path}), not the config's");
            }
            catch (Exception e) when (e is InvalidModelException or SignatureException or IOException or UnauthorizedAccessException)
            {
                log.WriteLine($"edgelstm: warning: the model kept by update {store.Version} ({path}) is not run: {e.Message}; running the config's model");
            }
        }
        if (store.Thresholds.Count > 0)
            setup = setup with { Rules = UpdateVerifier.WithThresholds(setup.Rules, store.Thresholds) };
        return setup;
    }
}
