using System.Text.Json;
using System.Text.Json.Nodes;
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
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false };

    /// <summary>Loads and validates the sensor sections of a board file; sections other projects own are not read.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="BoardConfigException">The config is invalid.</exception>
    public static LoadedBoardConfig Load(string path) => Parse(Read(path), BaseDirectoryOf(path), path);

    /// <summary>Loads and validates a whole board file: the sensor sections and the sections <paramref name="sections"/> owns.</summary>
    /// <typeparam name="TSections">What the owned sections are read into.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="sections">The owner of the other sections.</param>
    /// <param name="owned">The owned sections, read and validated.</param>
    /// <returns>The validated sensor sections.</returns>
    /// <exception cref="BoardConfigException">The file is invalid; every problem is listed.</exception>
    public static LoadedBoardConfig Load<TSections>(string path, BoardFileSections<TSections> sections, out TSections owned)
        where TSections : class =>
        Parse(Read(path), BaseDirectoryOf(path), sections, out owned, path);

    /// <summary>Validates the sensor sections of config text; top-level keys that are not sensor sections are not read.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="baseDirectory">Folder for relative paths (replay files).</param>
    /// <param name="label">Names the config in messages.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="BoardConfigException">The config is invalid.</exception>
    public static LoadedBoardConfig Parse(string json, string baseDirectory, string label = "(config)") =>
        Parse<object>(json, baseDirectory, null, out _, label);

    /// <summary>Validates config text: the sensor sections and the sections <paramref name="sections"/> owns.</summary>
    /// <typeparam name="TSections">What the owned sections are read into.</typeparam>
    /// <param name="json">The JSON.</param>
    /// <param name="baseDirectory">Folder for relative paths (replay files, model).</param>
    /// <param name="sections">The owner of the other sections; null reads the sensor sections only.</param>
    /// <param name="owned">The owned sections (null when <paramref name="sections"/> is null).</param>
    /// <param name="label">Names the config in messages.</param>
    /// <returns>The validated sensor sections.</returns>
    /// <exception cref="BoardConfigException">The config is invalid; every problem is listed.</exception>
    public static LoadedBoardConfig Parse<TSections>(string json, string baseDirectory, BoardFileSections<TSections>? sections, out TSections owned, string label = "(config)")
        where TSections : class
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

        byte[] sensorJson, ownedJson;
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BoardConfigException(label, [new ConfigProblem("$", "the file is not a JSON object.", "A board file is one object: { \"board\": …, \"sampler\": …, \"devices\": [ … ] }.")]);
            }

            (sensorJson, ownedJson) = Split(document.RootElement, sections?.Keys);
            if (sections is not null)
            {
                // A top-level key neither part knows: name every allowed key of the whole file.
                string[] allowed = [.. SensorKeys, .. sections.Keys];
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (!SensorKeys.Contains(property.Name) && !sections.Keys.Contains(property.Name))
                    {
                        problems.Add(JsonShapeChecker.UnknownKey($"$.{property.Name}", property.Name, allowed));
                    }
                }
            }
        }

        if (sections is not null && Editable(sensorJson) is { } editable)
        {
            sections.Edit(editable, problems);
            sensorJson = System.Text.Encoding.UTF8.GetBytes(editable.ToJsonString());
        }

        if (sections is not null && Editable(ownedJson) is { } editableOwned)
        {
            sections.EditOwned(editableOwned, problems);
            ownedJson = System.Text.Encoding.UTF8.GetBytes(editableOwned.ToJsonString());
        }

        using JsonDocument sensorDocument = JsonDocument.Parse(sensorJson);
        using JsonDocument ownedDocument = JsonDocument.Parse(ownedJson);
        JsonSerializerOptions options = BoardConfigJsonContext.Default.Options;
        new JsonShapeChecker(options, problems).Check(sensorDocument.RootElement, BoardConfigJsonContext.Default.BoardConfig, "$");
        if (sections is not null)
        {
            new JsonShapeChecker(sections.TypeInfo.Options, problems).Check(ownedDocument.RootElement, sections.TypeInfo, "$");
        }

        if (problems.Count > 0)
        {
            throw new BoardConfigException(label, problems);
        }

        BoardConfig config;
        owned = null!;
        try
        {
            config = sensorDocument.RootElement.Deserialize(BoardConfigJsonContext.Default.BoardConfig)!;
            if (sections is not null)
            {
                owned = ownedDocument.RootElement.Deserialize(sections.TypeInfo)!;
            }
        }
        catch (JsonException ex)
        {
            // The shape check should have caught this; report it rather than crash.
            throw new BoardConfigException(label, [new ConfigProblem(ex.Path ?? "$", FirstSentence(ex.Message), "Compare the file with firmware-config/board.schema.json.")]);
        }

        var validator = new BoardConfigValidator(config, baseDirectory, problems);
        validator.Validate();
        if (sections is not null)
        {
            sections.Validate(owned, config, baseDirectory, problems);
        }

        if (problems.Count > 0)
        {
            throw new BoardConfigException(label, problems);
        }

        return new LoadedBoardConfig(config, baseDirectory, validator.Recordings);
    }

    /// <summary>
    /// Splits the file's top-level keys into the sensor sections and the owned ones, byte for byte (duplicate keys stay, for
    /// the shape check to report). Top-level keys that neither part knows are left out (the caller reports them when there is an owner).
    /// </summary>
    private static (byte[] Sensors, byte[] Owned) Split(JsonElement root, IReadOnlySet<string>? ownedKeys)
    {
        using var sensors = new MemoryStream();
        using var owned = new MemoryStream();
        using (var sensorWriter = new Utf8JsonWriter(sensors))
        using (var ownedWriter = new Utf8JsonWriter(owned))
        {
            sensorWriter.WriteStartObject();
            ownedWriter.WriteStartObject();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (ownedKeys?.Contains(property.Name) == true)
                {
                    property.WriteTo(ownedWriter);
                }
                else if (SensorKeys.Contains(property.Name))
                {
                    property.WriteTo(sensorWriter);
                }
            }

            sensorWriter.WriteEndObject();
            ownedWriter.WriteEndObject();
        }

        return (sensors.ToArray(), owned.ToArray());
    }

    /// <summary>The sensor or owned sections as a tree to edit, or null when a key repeats (the shape check reports it; no edit applies).</summary>
    private static JsonObject? Editable(byte[] json)
    {
        try
        {
            var tree = (JsonObject)JsonNode.Parse(json)!;
            _ = tree.ToJsonString(); // materializes every object, which is where a repeated key shows
            return tree;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The top-level keys of the sensor sections.</summary>
    private static HashSet<string> SensorKeys { get; } =
        BoardConfigJsonContext.Default.BoardConfig.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static string BaseDirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

    private static string Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception ex) when (FileErrors.IsFileError(ex))
        {
            throw new BoardConfigException(path, [new ConfigProblem("$", $"the config file '{full}' cannot be read: {FileErrors.Describe(ex, full)}.", "Pass the path of a board JSON file, e.g. firmware-config/pi4-pump-monitor.json.")]);
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
