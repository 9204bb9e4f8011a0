using System.Text.Json;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>A config that passed every check, plus what was loaded while checking it.</summary>
/// <param name="Config">The config.</param>
/// <param name="BaseDirectory">The folder relative paths in the config are resolved against.</param>
/// <param name="Recordings">Replay recordings read while validating, by replay device.</param>
public sealed record LoadedBoardConfig(BoardConfig Config, string BaseDirectory, IReadOnlyDictionary<ReplayConfig, CsvRecording> Recordings);

/// <summary>
/// Loads board configs: JSON syntax, then shape (unknown keys, types, required keys) against the
/// source-generated metadata, then whole-board rules. Fails with a <see cref="BoardConfigException"/>
/// listing every problem by JSON path with a hint, so nothing fails later at the first read.
/// </summary>
public static class BoardConfigLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Loads and validates a config file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="BoardConfigException">The config is invalid.</exception>
    public static LoadedBoardConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (FileErrors.IsFileError(ex))
        {
            throw new BoardConfigException(path, [new ConfigProblem("$", $"the config file '{full}' cannot be read: {FileErrors.Describe(ex, full)}.", "Pass the path of a board JSON file, e.g. firmware-config/pi4-pump-monitor.json.")]);
        }

        return Parse(text, Path.GetDirectoryName(full)!, path);
    }

    /// <summary>Validates config text.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="baseDirectory">Folder for relative paths (replay files, model).</param>
    /// <param name="label">Names the config in messages.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="BoardConfigException">The config is invalid.</exception>
    public static LoadedBoardConfig Parse(string json, string baseDirectory, string label = "(config)")
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<ConfigProblem>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new BoardConfigException(label, [new ConfigProblem("$", $"not valid JSON at line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}",
                "Check for a missing comma, quote or bracket just before that point.")]);
        }

        using (document)
        {
            JsonSerializerOptions options = BoardConfigJsonContext.Default.Options;
            new JsonShapeChecker(options, problems).Check(document.RootElement, BoardConfigJsonContext.Default.BoardConfig, "$");
            if (problems.Count > 0)
            {
                throw new BoardConfigException(label, problems);
            }

            BoardConfig config;
            try
            {
                config = document.RootElement.Deserialize(BoardConfigJsonContext.Default.BoardConfig)!;
            }
            catch (JsonException ex)
            {
                // The shape check should have caught this; report it rather than crash.
                throw new BoardConfigException(label, [new ConfigProblem(ex.Path ?? "$", FirstSentence(ex.Message), "Compare the file with firmware-config/board.schema.json.")]);
            }

            var validator = new BoardConfigValidator(config, baseDirectory, problems);
            validator.Validate();
            if (problems.Count > 0)
            {
                throw new BoardConfigException(label, problems);
            }

            return new LoadedBoardConfig(config, baseDirectory, validator.Recordings);
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
