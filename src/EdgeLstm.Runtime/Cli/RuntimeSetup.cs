using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Onnx;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Cli;

/// <summary>A board config and a model that were loaded and checked against each other.</summary>
internal sealed record RuntimeSetup(LoadedBoardConfig Board, string ConfigLabel, RuntimeModel Model, string ModelPath, string ModelId,
    IReadOnlyList<DecisionRule> Rules, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Loads the config (the embedded demo when <paramref name="configPath"/> is null) and the model
    /// (<paramref name="modelPath"/>, else the config's <c>model.path</c>), and checks that they fit. Returns null
    /// with every problem in <paramref name="problems"/> when running would be pointless.
    /// </summary>
    public static RuntimeSetup? Load(string? configPath, string? modelPath, out List<string> problems)
    {
        problems = [];
        string label = configPath ?? "the embedded demo board";
        LoadedBoardConfig board;
        try
        {
            board = BoardConfigLoader.Load(configPath ?? EmbeddedDemo.ExtractConfig());
        }
        catch (BoardConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{label}: {p}"));
            return null;
        }

        string? path = modelPath ?? (board.Config.Model?.Path is { } relative ? Path.GetFullPath(relative, board.BaseDirectory) : null);
        if (path is null)
        {
            problems.Add($"{label}: no model: pass --model <file.elstm> or set model.path in the config");
            return null;
        }
        RuntimeModel model;
        string modelId;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            modelId = ModelFile.ComputeModelId(bytes);
            model = path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                ? OnnxModels.Load(path)
                : RuntimeModel.FromCore(ModelFile.Load(bytes));
        }
        catch (OnnxModelException e)
        {
            problems.Add($"model '{path}': {e.Message}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"model '{path}' cannot be read: {e.Message}");
            return null;
        }
        catch (InvalidModelException e)
        {
            problems.Add($"model '{path}' is not usable: {e.Message}");
            return null;
        }

        List<DecisionRule> rules = DecisionRules.FromConfig(board.Config.Decision, model.Metadata);
        problems.AddRange(ModelBoardCheck.Problems(board.Config, model, rules, out List<string> warnings).Select(p => $"{label} and model '{Path.GetFileName(path)}': {p}"));
        return problems.Count > 0 ? null : new RuntimeSetup(board, label, model, path, modelId, rules, warnings);
    }
}
