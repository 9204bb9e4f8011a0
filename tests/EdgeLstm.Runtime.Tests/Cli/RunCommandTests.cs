using System.Text.RegularExpressions;
using EdgeLstm.Core;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Tests.Cli;

public class RunCommandTests
{
    private static (int Exit, List<DecodeResult> Frames, string Log) Run(RunOptions options, CancellationToken cancellation = default)
    {
        using var stdout = new MemoryStream();
        var log = new StringWriter();
        int exit = RunCommand.Run(options with { Format = OutputFormat.Msgpack }, stdout, log, cancellation);
        stdout.Position = 0;
        var frames = FrameStreamReader.ReadAllAsync(stdout, cancellationToken: CancellationToken.None).ToBlockingEnumerable(CancellationToken.None).ToList();
        return (exit, frames, log.ToString());
    }

    [Fact]
    public void The_embedded_demo_raises_and_clears_the_alarm_inside_the_recordings_fault()
    {
        var (exit, frames, log) = Run(new RunOptions(null, null, null, null, OutputFormat.Msgpack));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.All(frames, f => Assert.True(f.IsFrame, f.ToString()));
        HelloFrame hello = frames[0].Hello;
        Assert.Equal(8, hello.ChannelNames.Count);
        Assert.Matches("^[0-9a-f]{16}$", hello.ModelId);

        // valve1/5: 1154 rows; the window of 16 gives predictions from row 15 on.
        Assert.Equal(1154 - 15, frames.Count(f => f.FrameType == FrameType.Prediction));
        var alarms = frames.Where(f => f.FrameType == FrameType.Alarm).Select(f => f.Alarm).ToList();
        Assert.Equal(2, alarms.Count);
        Assert.True(alarms[0].Raised);
        Assert.False(alarms[1].Raised);
        // The labelled fault is rows 577–979 (Assets/README.md): the alarm must rise and fall inside it.
        Assert.InRange(alarms[0].TimeMs / 1000, 577u, 979u);
        Assert.InRange(alarms[1].TimeMs / 1000, 577u, 985u);
        Assert.True(alarms[1].DurationMs > 200_000, $"the alarm lasted only {alarms[1].DurationMs} ms");
        Assert.Contains("1139 predictions, 2 alarm changes", log);
        // The replay ends after its last row: the end of the input, not a read error on every channel.
        HealthFrame last = frames.Last(f => f.FrameType == FrameType.Health).Health;
        Assert.Equal(1154ul, last.SamplesRead);
        Assert.Equal(new uint[8], last.ChannelReadErrors.ToArray());
        // The board's own commissioning lands next to the trainer's float threshold (2.19856, Assets/README.md).
        Assert.Matches(@"commissioned on 400 samples: raise above 2\.19\d*, clear below 1\.64", log);
        // Health carries the thresholds in force: NaN while commissioning (the frame at 300 s), then the commissioned ones.
        List<HealthFrame> health = [.. frames.Where(f => f.FrameType == FrameType.Health).Select(f => f.Health)];
        Assert.All(health.Where(h => h.SamplesRead < 400).Select(h => h.AlarmThresholds.ToArray()), t => Assert.Equal(2, t.Length));
        Assert.All(health.Where(h => h.SamplesRead < 400).SelectMany(h => h.AlarmThresholds.ToArray()), t => Assert.True(float.IsNaN(t)));
        Assert.Contains(health, h => h.SamplesRead < 400);
        float[] thresholds = last.AlarmThresholds.ToArray();
        Assert.Equal(2, thresholds.Length);
        Assert.InRange(thresholds[0], 2.19f, 2.20f);
        Assert.Equal(0.75f * thresholds[0], thresholds[1], 1e-5f);
        // Sequence numbers run over all frames without gaps.
        var sequences = frames.Where(f => f.FrameType != FrameType.Hello).Select(f => f.FrameType switch
        {
            FrameType.Prediction => f.Prediction.Sequence,
            FrameType.Alarm => f.Alarm.Sequence,
            _ => f.Health.Sequence,
        }).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (ulong)i), sequences);
    }

    [Fact]
    public void Looping_the_demo_replays_the_recording_again_until_the_duration()
    {
        const int Rows = 1154; // valve1/5 at 1 Hz: one pass is 1154 s of board time
        var (exit, frames, log) = Run(new RunOptions(null, null, TimeSpan.FromSeconds(3 * Rows), null, OutputFormat.Msgpack, Loop: true));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("replay looped", log);
        Assert.Contains($"stopped after {3 * Rows} samples", log);
        // The window keeps filling across the wrap-around: a prediction for every sample from row 15 of the first pass.
        Assert.Equal(3 * Rows - 15, frames.Count(f => f.FrameType == FrameType.Prediction));
        // Commissioning happens once; every pass raises and clears the alarm inside its copy of the fault.
        Assert.Single(Regex.Matches(log, "commissioned on"));
        var alarms = frames.Where(f => f.FrameType == FrameType.Alarm).Select(f => f.Alarm).ToList();
        Assert.Equal([true, false, true, false, true, false], alarms.Select(a => a.Raised));
        for (int i = 0; i < alarms.Count; i++)
            Assert.InRange(alarms[i].TimeMs / 1000 - (uint)(i / 2 * Rows), 577u, 985u);
    }

    [Fact]
    public void Looping_runs_until_stopped_when_no_duration_is_given()
    {
        // Stopped by what it wrote, not by a timer: three recordings' worth of frames, whatever the machine's speed.
        using var once = new MemoryStream();
        Assert.Equal(ExitCodes.Success, RunCommand.Run(new RunOptions(null, null, null, null, OutputFormat.Msgpack), once, new StringWriter(), default));
        using var cancel = new CancellationTokenSource();
        using var stdout = new StopAfterBytesStream(3 * once.Length, cancel);
        int exit = RunCommand.Run(new RunOptions(null, null, null, null, OutputFormat.Msgpack, Loop: true), stdout, new StringWriter(), cancel.Token);
        Assert.Equal(ExitCodes.Success, exit);
        stdout.Position = 0;
        var frames = FrameStreamReader.ReadAllAsync(stdout, cancellationToken: CancellationToken.None).ToBlockingEnumerable(CancellationToken.None).ToList();
        Assert.True(frames.Count(f => f.FrameType == FrameType.Prediction) > 2 * 1154, "the replay goes on past the end of the recording");
        Assert.Equal(FrameType.Health, frames[^1].FrameType);
    }

    /// <summary>Standard output that asks the run to stop once it has taken <paramref name="limit"/> bytes.</summary>
    private sealed class StopAfterBytesStream(long limit, CancellationTokenSource stop) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (Length >= limit) stop.Cancel();
        }

        // MemoryStream's span overload bypasses Write(byte[]) in subclasses; route it through the counting one.
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
    }

    [Fact]
    public void A_simulated_step_fault_raises_the_alarm_and_drives_the_alarm_pin_frames()
    {
        using var board = new TestBoard(decision: """{ "score": "output", "output": "fault", "threshold": 0.8, "clearThreshold": 0.5, "minDurationSamples": 10 }""");
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, null, TimeSpan.FromSeconds(8), null, OutputFormat.Msgpack));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(800, frames.Count(f => f.FrameType == FrameType.Prediction));
        AlarmFrame raised = Assert.Single(frames, f => f.FrameType == FrameType.Alarm).Alarm;
        Assert.True(raised.Raised);
        Assert.Equal(1, raised.ClassIndex);                      // "fault"
        Assert.InRange(raised.TimeMs, 5000u, 5200u);             // the step at 5 s, plus 10 samples
        Assert.Equal(100u, raised.DurationMs);                   // 10 samples at 100 Hz
        Assert.True(frames.Count(f => f.FrameType == FrameType.Health) >= 4, "a Health frame every 2 s and one at the end");
        PredictionFrame before = frames.First(f => f.FrameType == FrameType.Prediction && f.Prediction.TimeMs == 4000).Prediction;
        PredictionFrame after = frames.First(f => f.FrameType == FrameType.Prediction && f.Prediction.TimeMs == 7000).Prediction;
        Assert.Equal(0, before.TopClass);
        Assert.Equal(1, after.TopClass);
        Assert.Contains("800 samples", log);
    }

    [Fact]
    public void A_replay_played_to_its_end_reports_its_own_bad_cells_and_no_read_error_for_the_end()
    {
        // 300 rows at 100 Hz; 'pressure' is empty in row 100 and NaN in the last row, and both are read errors.
        var csv = new System.Text.StringBuilder("t;current;pressure\n");
        for (int row = 0; row < 300; row++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{row * 0.01:0.00};12.3;{row switch { 100 => "", 299 => "NaN", _ => "2.6" }}\n");
        using var board = new TestBoard(replayCsv: csv.ToString());
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, null, null, null, OutputFormat.Msgpack));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("stopped after 300 samples", log);
        Assert.Equal(300, frames.Count(f => f.FrameType == FrameType.Prediction));
        HealthFrame last = frames.Last(f => f.FrameType == FrameType.Health).Health;
        Assert.Equal(300ul, last.SamplesRead);
        Assert.Equal([0u, 2u], last.ChannelReadErrors.ToArray());
    }

    [Fact]
    public void Cancelling_stops_cleanly_and_the_file_sink_holds_every_frame()
    {
        using var board = new TestBoard(sinks: """[ { "type": "file", "path": "frames.bin" }, { "type": "stdout" } ]""");
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        var (exit, stdoutFrames, _) = Run(new RunOptions(board.ConfigPath, null, null, RunSpeed.Realtime, OutputFormat.Msgpack), cancel.Token);
        Assert.Equal(ExitCodes.Success, exit);
        using FileStream file = File.OpenRead(Path.Combine(board.Directory, "frames.bin"));
        var fileFrames = FrameStreamReader.ReadAllAsync(file).ToBlockingEnumerable().ToList();
        Assert.All(fileFrames, f => Assert.True(f.IsFrame));
        Assert.Equal(stdoutFrames.Count, fileFrames.Count);
        Assert.Equal(FrameType.Health, fileFrames[^1].FrameType); // the last word before shutdown
    }

    [Theory]
    [InlineData("missing-model")]
    [InlineData("corrupt-model")]
    [InlineData("wrong-channels")]
    [InlineData("wrong-rate")]
    [InlineData("bad-config")]
    [InlineData("bad-output")]
    [InlineData("loop-without-replay")]
    [InlineData("fast-clock-on-hardware")]
    public void What_makes_running_pointless_exits_2_with_the_reason(string problem)
    {
        using var board = problem switch
        {
            "wrong-channels" => new TestBoard(modelChannels: ["current", "temperature"]),
            "wrong-rate" => new TestBoard(sampleRate: 50),
            "bad-output" => new TestBoard(decision: """{ "score": "output", "output": "cavitation", "threshold": 0.5 }"""),
            _ => new TestBoard(),
        };
        string? model = null;
        switch (problem)
        {
            case "missing-model": model = Path.Combine(board.Directory, "nope.elstm"); break;
            case "corrupt-model":
                byte[] bytes = File.ReadAllBytes(board.ModelPath);
                bytes[^5] ^= 0x40;
                File.WriteAllBytes(board.ModelPath, bytes);
                break;
            case "bad-config": File.WriteAllText(board.ConfigPath, """{ "board": { "name": "x" }, "sampler": { "rateHz": 100 }, "devices": [], "speed": 3 }"""); break;
            case "fast-clock-on-hardware":
                // A valid real-hardware config (wall clock); only the command line asks for the fast clock.
                File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath)
                    .Replace("\"simulated\": true", "\"simulated\": false", StringComparison.Ordinal)
                    .Replace("\"clock\": \"fast\"", "\"clock\": \"realtime\"", StringComparison.Ordinal));
                break;
        }
        RunSpeed? speed = problem == "fast-clock-on-hardware" ? RunSpeed.Max : null;
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, model, TimeSpan.FromSeconds(1), speed, OutputFormat.Msgpack, Loop: problem == "loop-without-replay"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Empty(frames);
        string expected = problem switch
        {
            "missing-model" => "nope.elstm' cannot be read",
            "corrupt-model" => "CRC-32",
            "wrong-channels" => "model channel 'temperature' is not on the board",
            "wrong-rate" => "trained at 50 Hz",
            "bad-config" => "$.speed",
            "loop-without-replay" => "$.devices: --loop: the board replays no recording",
            "fast-clock-on-hardware" => "$.sampler.clock: --speed max: the fast clock cannot drive real hardware",
            _ => "score output 'cavitation' is not one of the model's outputs",
        };
        Assert.Contains(expected, log);
    }

    [Fact]
    public void A_null_sink_counts_every_frame_and_writes_nothing()
    {
        using var board = new TestBoard(sinks: """[ { "type": "null" } ]""");
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, null, TimeSpan.FromSeconds(3), null, OutputFormat.Msgpack));
        Assert.True(exit == ExitCodes.Success, log);
        Assert.Empty(frames);
        Assert.Contains("frames to null", log, StringComparison.Ordinal);
        Assert.Contains("300 samples", log, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_collector_is_a_counted_degradation_not_a_failure()
    {
        // A port nothing listens on: connection refused at once.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var board = new TestBoard(sinks: $$"""[ { "type": "tcp", "host": "127.0.0.1", "port": {{port}} }, { "type": "stdout" } ]""");
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, null, TimeSpan.FromSeconds(3), null, OutputFormat.Msgpack));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains($"degraded: tcp 127.0.0.1:{port}: link failed (ConnectionRefused)", log);
        HealthFrame last = frames.Last(f => f.FrameType == FrameType.Health).Health;
        Assert.True(last.JournalBacklog > 0, "frames wait in the journal");
        // Without a journal folder they wait in RAM, and the run says they were lost rather than "0 dropped".
        Assert.Matches(@"tcp 127\.0\.0\.1:\d+: 0 frames acknowledged, 0 sent \(resends included\), \d+ unacknowledged frames lost with the in-RAM journal", log);
    }

    [Fact]
    public void A_sensor_missing_at_start_is_reported_and_sampling_goes_on()
    {
        using var board = new TestBoard(bus: """, "bus": { "disconnectedFromSeconds": 0, "disconnectedUntilSeconds": 2 }""");
        var (exit, frames, log) = Run(new RunOptions(board.ConfigPath, null, TimeSpan.FromSeconds(4), null, OutputFormat.Msgpack));
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("degraded", log);
        var predictions = frames.Where(f => f.FrameType == FrameType.Prediction).Select(f => f.Prediction).ToList();
        Assert.Equal(400, predictions.Count);
        Assert.True(predictions[0].IsDegraded);
        Assert.False(predictions[^1].IsDegraded); // the chip came back
        Assert.True(frames.Last(f => f.FrameType == FrameType.Health).Health.ChannelReadErrors.Span[0] > 0);
    }
}
