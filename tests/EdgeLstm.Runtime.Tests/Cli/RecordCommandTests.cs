using System.Globalization;
using System.Text;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Runtime.Tests.Cli;

public class RecordCommandTests
{
    private static (int Exit, string Csv, string Log) Record(RecordOptions options)
    {
        using var stdout = new MemoryStream();
        var log = new StringWriter();
        int exit = RecordCommand.Run(options, stdout, log, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), log.ToString());
    }

    [Fact]
    public void Records_every_channel_through_the_simulated_chips_on_the_board_clock()
    {
        // The test board's ADS1115 at 100 Hz: current ≈ 12 A, then the step fault at 5 s adds 1.5 V × 10 A/V.
        using var board = new TestBoard();
        var (exit, csv, log) = Record(new RecordOptions(board.ConfigPath, null, TimeSpan.FromSeconds(6), null));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("recorded 600 samples (6 s of board time)", log);
        CsvRecording rec = CsvRecording.Parse("stdout", csv, CsvSampleWriter.TimeColumn);
        Assert.Equal(["current", "pressure"], rec.ColumnNames);
        Assert.Equal(600, rec.RowCount);
        Assert.Equal(5.99, rec.TimesSeconds[^1], 9);
        Assert.InRange(rec[499, 0], 11, 13);
        Assert.InRange(rec[500, 0] - rec[499, 0], 14, 16);
        Assert.InRange(rec[0, 1], 4.2, 4.3); // 1.7 V × 2.5 bar/V
    }

    [Fact]
    public void A_recording_replayed_through_a_replay_device_records_the_same_file()
    {
        // The ADC is gone from 1 s to 1.5 s: those samples are held, then bad, and left empty. Replayed, the empty
        // fields are NaN, which the sampler holds and marks bad the same way, so the copy is byte for byte the same.
        using var board = new TestBoard(bus: """, "bus": { "disconnectedFromSeconds": 1, "disconnectedUntilSeconds": 1.5 }""");
        string output = Path.Combine(board.Directory, "recorded.csv");
        var (exit, _, _) = Record(new RecordOptions(board.ConfigPath, output, TimeSpan.FromSeconds(3), null));
        Assert.Equal(ExitCodes.Success, exit);
        string original = File.ReadAllText(output);
        Assert.Contains("\n1.1,,\n", original);

        string replay = Path.Combine(board.Directory, "replay.json");
        File.WriteAllText(replay, """
            { "board": { "name": "replay", "simulated": true }, "sampler": { "rateHz": 100, "holdLimit": 3, "clock": "fast" },
              "devices": [ { "type": "replay", "name": "r", "file": "recorded.csv", "timeColumn": "time", "timing": "sequential",
                             "channels": [ { "name": "current" }, { "name": "pressure" } ] } ] }
            """);
        var (replayExit, copy, log) = Record(new RecordOptions(replay, null, null, null));
        Assert.Equal(ExitCodes.Success, replayExit);
        Assert.Contains("recorded 300 samples", log);
        Assert.Equal(original, copy);
    }

    [Fact]
    public void The_model_is_not_needed_to_record()
    {
        using var board = new TestBoard();
        File.Delete(board.ModelPath);
        var (exit, csv, _) = Record(new RecordOptions(board.ConfigPath, null, TimeSpan.FromSeconds(0.5), RunSpeed.Max));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1 + 50, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("bad-config")]
    [InlineData("fast-clock-on-hardware")]
    [InlineData("unwritable-output")]
    public void What_makes_recording_pointless_exits_2_with_the_reason(string problem)
    {
        using var board = new TestBoard();
        string? output = null;
        RunSpeed? speed = null;
        switch (problem)
        {
            case "bad-config": File.WriteAllText(board.ConfigPath, """{ "board": { "name": "x" }, "sampler": { "rateHz": 100 }, "devices": [], "speed": 3 }"""); break;
            case "fast-clock-on-hardware":
                File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath)
                    .Replace("\"simulated\": true", "\"simulated\": false", StringComparison.Ordinal)
                    .Replace("\"clock\": \"fast\"", "\"clock\": \"realtime\"", StringComparison.Ordinal));
                speed = RunSpeed.Max;
                break;
            default: output = Path.Combine(board.Directory, "no-such-folder", "out.csv"); break;
        }
        var (exit, csv, log) = Record(new RecordOptions(board.ConfigPath, output, TimeSpan.FromSeconds(1), speed));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Empty(csv);
        Assert.Contains(problem switch
        {
            "bad-config" => "$.speed",
            "fast-clock-on-hardware" => "$.sampler.clock: --speed max: the fast clock cannot drive real hardware",
            _ => "cannot write",
        }, log);
    }

    [Fact]
    public void The_command_line_takes_config_output_duration_and_speed()
    {
        using var board = new TestBoard();
        string output = Path.Combine(board.Directory, "cli.csv");
        var error = new StringWriter();
        int exit = EdgeLstmCli.Invoke(["record", "--config", board.ConfigPath, "-o", output, "--duration", "1.5", "--speed", "max"],
            new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(ExitCodes.Success, exit);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(151, lines.Length);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"1.49,"), lines[^1], StringComparison.Ordinal);
        Assert.Contains("recorded 150 samples", error.ToString());
    }
}
