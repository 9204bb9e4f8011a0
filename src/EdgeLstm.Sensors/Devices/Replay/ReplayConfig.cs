using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Sensors.Devices;

/// <summary>A CSV recording replayed as channels.</summary>
public sealed class ReplayConfig : DeviceConfig
{
    /// <summary>Gets the CSV file, relative to the config file.</summary>
    public required string File { get; set; }

    /// <summary>Gets the time column; the first column if omitted.</summary>
    public string? TimeColumn { get; set; }

    /// <summary>Gets how rows are matched to samples.</summary>
    public ReplayTiming Timing { get; set; } = ReplayTiming.Recorded;

    /// <summary>Gets the playback speed (recorded timing).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Gets a value indicating whether to start over at the end.</summary>
    public bool Loop { get; set; }

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<ReplayChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => [];

    /// <inheritdoc />
    internal override bool ReadsHardware => false;

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (!(Speed > 0))
        {
            check.Problem("speed", $"speed {ConfigText.Num(Speed)} must be positive.", "Use 1 for real time, larger to replay faster.");
        }

        string file = Path.GetFullPath(Path.Combine(check.BaseDirectory, File));
        if (!System.IO.File.Exists(file))
        {
            check.Problem("file", $"recording '{File}' not found (looked at {file}).", "Paths are relative to the config file's folder.");
            return;
        }

        CsvRecording recording;
        try
        {
            recording = CsvRecording.Load(file, TimeColumn);
        }
        catch (CsvFormatException ex)
        {
            foreach (string problem in ex.Problems)
            {
                int hint = problem.IndexOf(" Hint: ", StringComparison.Ordinal);
                check.Problem("file", hint < 0 ? problem : problem[..hint], hint < 0 ? "Fix the recording." : problem[(hint + 7)..]);
            }

            return;
        }
        catch (Exception ex) when (FileErrors.IsFileError(ex))
        {
            check.Problem("file", $"recording '{File}' cannot be read: {FileErrors.Describe(ex, file)}", "Paths are relative to the board file; check the path and the file's permissions.");
            return;
        }

        if (Timing == ReplayTiming.Recorded)
        {
            foreach (string problem in recording.NonIncreasingTimes())
            {
                int hint = problem.IndexOf(" Hint: ", StringComparison.Ordinal);
                check.Problem("file", problem[..hint], problem[(hint + 7)..]);
            }
        }

        check.KeepRecording(this, recording);
        for (int j = 0; j < Channels.Count; j++)
        {
            string column = Channels[j].Column ?? Channels[j].Name;
            if (recording.IndexOf(column) < 0)
            {
                check.Problem($"channels[{j}].column", $"column '{column}' is not in {File}.", $"The value columns are {ConfigText.List(recording.ColumnNames)}.");
            }
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build)
    {
        CsvRecording recording = build.Recording(this);
        return new CsvReplayDevice(Name, recording, [.. Channels.Select(c => recording.IndexOf(c.Column ?? c.Name))], Timing, Speed, Loop);
    }
}

/// <summary>A replayed channel.</summary>
public sealed class ReplayChannelConfig : ChannelConfig
{
    /// <summary>Gets the CSV column; the channel name if omitted.</summary>
    public string? Column { get; set; }
}
