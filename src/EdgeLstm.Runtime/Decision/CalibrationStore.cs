using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// Keeps commissioned thresholds across restarts, in <see cref="FileName"/> in the board's journal folder, with the
/// id of the model they were commissioned for. A board that reboots during a fault must not commission again on
/// fault data: it reuses the thresholds, as long as the model and the rule's calibration settings are the same.
/// </summary>
internal sealed class CalibrationStore
{
    /// <summary>The file's name in the journal folder.</summary>
    public const string FileName = "calibration.json";

    private const int FormatVersion = 1;

    private readonly string _path;
    private readonly string _modelId;
    private readonly TextWriter _log;
    private readonly Lock _saveLock = new();
    private Task _saving = Task.CompletedTask;

    /// <summary>A store in <paramref name="directory"/> for the model <paramref name="modelId"/>.</summary>
    public CalibrationStore(string directory, string modelId, TextWriter log)
    {
        _path = Path.Combine(directory, FileName);
        _modelId = modelId;
        _log = log;
    }

    /// <summary>Where the thresholds are kept.</summary>
    public string Location => _path;

    /// <summary>
    /// The stored thresholds of <paramref name="rule"/>, or null when there are none for it: no file, another model,
    /// other calibration settings, or a file that cannot be read (logged, and replaced at the next commissioning).
    /// </summary>
    public static CalibratedAlarm? Find(AlarmRule rule, CalibrationFile? file)
    {
        if (file is null || rule.Calibration is not { } calibration) return null;
        foreach (CalibratedAlarm alarm in file.Alarms)
        {
            if (alarm.Name == rule.Name && alarm.Samples == calibration.Samples && alarm.Quantile == calibration.Quantile
                && alarm.Factor == calibration.Factor && alarm.ClearRatio == calibration.ClearRatio
                && float.IsFinite(alarm.Threshold) && float.IsFinite(alarm.ClearThreshold))
            {
                return alarm;
            }
        }
        return null;
    }

    /// <summary>Reads the file; null (with the reason logged) when it is absent, unreadable or for another model.</summary>
    public CalibrationFile? Load()
    {
        if (!File.Exists(_path)) return null;
        try
        {
            CalibrationFile? file = JsonSerializer.Deserialize(File.ReadAllBytes(_path), CalibrationJsonContext.Default.CalibrationFile);
            if (file is null || file.Version != FormatVersion)
            {
                _log.WriteLine($"edgelstm: {_path}: not a calibration file of version {FormatVersion}; commissioning again");
                return null;
            }
            if (file.ModelId != _modelId)
            {
                _log.WriteLine($"edgelstm: {_path}: thresholds of model {file.ModelId}, not of {_modelId}; commissioning again");
                return null;
            }
            return file;
        }
        catch (JsonException e)
        {
            _log.WriteLine($"edgelstm: {_path}: unreadable ({e.Message}); commissioning again");
            return null;
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            _log.WriteLine($"edgelstm: {_path}: {FileErrors.Describe(e, _path)}; commissioning again");
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="alarms"/> off the sampling thread (write, sync, rename, so a power loss leaves the old
    /// file or the new one); a failure is logged, and the board keeps the thresholds in memory.
    /// </summary>
    public void Save(IReadOnlyList<CalibratedAlarm> alarms)
    {
        var file = new CalibrationFile
        {
            Version = FormatVersion,
            ModelId = _modelId,
            CommissionedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            Alarms = [.. alarms],
        };
        lock (_saveLock)
        {
            _saving = _saving.ContinueWith(_ => Write(file), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for a save still under way (at shutdown).</summary>
    public void Flush(TimeSpan timeout)
    {
        Task saving;
        lock (_saveLock) saving = _saving;
        saving.Wait(timeout);
    }

    private void Write(CalibrationFile file)
    {
        string temporary = _path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, file, CalibrationJsonContext.Default.CalibrationFile);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            _log.WriteLine($"edgelstm: cannot keep the commissioned thresholds in {_path}: {FileErrors.Describe(e, _path)}; a restart will commission again");
        }
    }
}

/// <summary>The calibration file: the model's id and each commissioned alarm's thresholds.</summary>
internal sealed class CalibrationFile
{
    /// <summary>Gets the file format's version.</summary>
    public int Version { get; set; }

    /// <summary>Gets the id (XXH3) of the model the thresholds were commissioned for.</summary>
    public string ModelId { get; set; } = "";

    /// <summary>Gets when the file was written (ISO 8601, UTC).</summary>
    public string CommissionedAt { get; set; } = "";

    /// <summary>Gets the alarms' thresholds.</summary>
    public List<CalibratedAlarm> Alarms { get; set; } = [];
}

/// <summary>One alarm's commissioned thresholds, with the calibration settings they came from.</summary>
internal sealed record CalibratedAlarm(string Name, float Threshold, float ClearThreshold, int Samples, double Quantile, double Factor, double ClearRatio);

/// <summary>Source-generated (AOT-safe) JSON for <see cref="CalibrationFile"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CalibrationFile))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;
