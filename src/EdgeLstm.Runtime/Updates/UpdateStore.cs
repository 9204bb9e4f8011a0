using System.Globalization;
using System.Text.Json;
using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Updates;

/// <summary>
/// What remote updates left on the board, kept beside the journal (its folder is the one place a board keeps state):
/// <c>update/state.json</c> (the last accepted version, the model file, threshold overrides) and the model file itself,
/// so a reboot comes up on the updated model. Written atomically (temp file, fsync, rename).
/// </summary>
internal sealed class UpdateStore
{
    /// <summary>The folder under the journal's.</summary>
    public const string FolderName = "update";

    private const string StateFile = "state.json";

    private readonly string _folder;

    private UpdateStore(string folder, ulong version, string? modelFile, IReadOnlyList<ThresholdUpdate> thresholds)
    {
        _folder = folder;
        Version = version;
        ModelFile = modelFile;
        Thresholds = thresholds;
    }

    /// <summary>The version of the last update accepted (0: none yet).</summary>
    public ulong Version { get; private set; }

    /// <summary>The updated model's file name in <see cref="Folder"/>, or null when the board runs its configured model.</summary>
    public string? ModelFile { get; private set; }

    /// <summary>The full path of the updated model, or null.</summary>
    public string? ModelPath => ModelFile is null ? null : Path.Combine(_folder, ModelFile);

    /// <summary>Thresholds set remotely, applied over the config's (cleared by a model update).</summary>
    public IReadOnlyList<ThresholdUpdate> Thresholds { get; private set; }

    /// <summary>Where the state lives.</summary>
    public string Folder => _folder;

    /// <summary>Opens the state under <paramref name="journalDirectory"/> (empty when no update was ever accepted).</summary>
    /// <exception cref="UpdateStoreException">The state file is there but cannot be read; the message names it.</exception>
    public static UpdateStore Open(string journalDirectory)
    {
        string folder = Path.Combine(journalDirectory, FolderName);
        string path = Path.Combine(folder, StateFile);
        if (!File.Exists(path)) return new UpdateStore(folder, 0, null, []);
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            ulong version = root.GetProperty("version").GetUInt64();
            string? model = root.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (model is not null && (model.Contains('/') || model.Contains('\\') || model.StartsWith('.')))
                throw new UpdateStoreException($"{path}: the model name '{model}' is not a file in {folder}.");
            var thresholds = new List<ThresholdUpdate>();
            if (root.TryGetProperty("thresholds", out JsonElement list))
            {
                foreach (JsonElement t in list.EnumerateArray())
                    thresholds.Add(new ThresholdUpdate(t.GetProperty("alarm").GetString()!, t.GetProperty("threshold").GetSingle(), t.GetProperty("clearThreshold").GetSingle()));
            }
            return new UpdateStore(folder, version, model, thresholds);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UpdateStoreException($"{path}: the remote-update state cannot be read ({e.Message}); move it away to start on the configured model.", e);
        }
    }

    /// <summary>Records an accepted model update: its bytes under a name of its own, then the state pointing at it.</summary>
    public void SaveModel(ulong version, ReadOnlySpan<byte> model)
    {
        Directory.CreateDirectory(_folder);
        string name = string.Create(CultureInfo.InvariantCulture, $"model-{version}.elstm");
        WriteAtomically(Path.Combine(_folder, name), model);
        string? previous = ModelFile;
        Save(version, name, []);
        // The one before the previous is no longer needed; the previous is kept for an operator to go back to.
        foreach (string old in Directory.EnumerateFiles(_folder, "model-*.elstm"))
        {
            string file = Path.GetFileName(old);
            if (file != name && file != previous) File.Delete(old);
        }
    }

    /// <summary>Records an accepted thresholds update (replacing the overrides of the alarms it names).</summary>
    public void SaveThresholds(ulong version, IReadOnlyList<ThresholdUpdate> thresholds)
    {
        Directory.CreateDirectory(_folder);
        var merged = Thresholds.Where(t => !thresholds.Any(n => n.Alarm == t.Alarm)).Concat(thresholds).ToList();
        Save(version, ModelFile, merged);
    }

    private void Save(ulong version, string? model, IReadOnlyList<ThresholdUpdate> thresholds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", version);
            if (model is null) writer.WriteNull("model");
            else writer.WriteString("model", model);
            writer.WriteStartArray("thresholds");
            foreach (ThresholdUpdate t in thresholds)
            {
                writer.WriteStartObject();
                writer.WriteString("alarm", t.Alarm);
                writer.WriteNumber("threshold", t.Threshold);
                writer.WriteNumber("clearThreshold", t.ClearThreshold);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        WriteAtomically(Path.Combine(_folder, StateFile), buffer.ToArray());
        (Version, ModelFile, Thresholds) = (version, model, thresholds);
    }

    private static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The remote-update state on the board cannot be read or written.</summary>
internal sealed class UpdateStoreException(string message, Exception inner) : Exception(message, inner)
{
    public UpdateStoreException(string message) : this(message, null!) { }
}
