using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Cli;

/// <summary>What <c>edgelstm record</c> was asked to do.</summary>
/// <param name="Config">Board config.</param>
/// <param name="Output">CSV file; null writes to stdout.</param>
/// <param name="Duration">Stop after this much (board) time; null runs until stopped or a replay ends.</param>
/// <param name="Speed">Overrides the config's clock.</param>
internal sealed record RecordOptions(string Config, string? Output, TimeSpan? Duration, RunSpeed? Speed);

/// <summary>
/// <c>edgelstm record</c>: samples a board through the same sampler as <c>run</c> (real chips, or simulated chips
/// behind the same bindings, or a replay) and writes every channel to CSV, with no model: the training data for a
/// model of the board's normal behaviour.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "Board config JSON (its model and decision sections are not used).", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "CSV file to write. Default: stdout." };
        var duration = new Option<double?>("--duration", "-d") { Description = "Stop after this many seconds of board time. Default: run until SIGINT/SIGTERM or the end of a replay." };
        var speed = new Option<RunSpeed?>("--speed") { Description = "realtime: sample on the wall clock; max: as fast as possible (replay, simulation). Default: the config's sampler.clock." };
        var command = new Command("record", "Sample the board's channels and write them to CSV (time in seconds, one column per channel; held or bad values left empty).") { config, output, duration, speed };
        command.SetAction(result =>
        {
            double? seconds = result.GetValue(duration);
            if (seconds is <= 0 or > 1e9)
            {
                result.InvocationConfiguration.Error.WriteLine($"edgelstm: --duration must be a positive number of seconds; got {seconds}.");
                return ExitCodes.BadInput;
            }
            var options = new RecordOptions(result.GetValue(config)!.FullName, result.GetValue(output)?.FullName,
                seconds is { } s ? TimeSpan.FromSeconds(s) : null, result.GetValue(speed));
            using var stop = new CancellationTokenSource();
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using Stream stdout = Console.OpenStandardOutput();
            return Run(options, stdout, result.InvocationConfiguration.Error, stop.Token);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // finish the file: flush, exit 0
                stop.Cancel();
            }
        });
        return command;
    }

    /// <summary>Records until cancelled, the duration is reached or a replay ends. Returns the exit code.</summary>
    public static int Run(RecordOptions options, Stream stdout, TextWriter log, CancellationToken cancellationToken)
    {
        LoadedBoardConfig loaded;
        try
        {
            // The whole file, as run reads it: a record of a board whose runtime sections are wrong is of no use either.
            (loaded, _) = RuntimeBoardFile.Load(options.Config, new RunOverrides(options.Speed));
        }
        catch (BoardConfigException e)
        {
            log.WriteLine($"edgelstm: cannot record ({e.Problems.Count} problem{(e.Problems.Count == 1 ? "" : "s")}):");
            foreach (ConfigProblem problem in e.Problems) log.WriteLine($"  {options.Config}: {problem}");
            return ExitCodes.BadInput;
        }
        BoardConfig config = loaded.Config;

        SensorBoard? board = BoardStart.TryCreate(loaded, log);
        if (board is null) return ExitCodes.BadInput;
        using (board)
        {
            foreach (string error in board.StartupErrors)
                log.WriteLine($"edgelstm: degraded: {error}; the device is retried with backoff and its channels are left empty while it fails");

            Stream destination;
            try
            {
                // Rows are small: buffer them so each is not a system call on stdout.
                destination = options.Output is null ? new BufferedStream(stdout, 1 << 16) : new FileStream(options.Output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.WriteLine($"edgelstm: cannot write '{options.Output}': {FileErrors.Describe(e, options.Output!)}");
                return ExitCodes.BadInput;
            }
            CsvSampleWriter writer;
            try
            {
                writer = new CsvSampleWriter(destination, board.Sampler.Channels, leaveOpen: options.Output is null);
            }
            catch (ArgumentException e)
            {
                destination.Dispose();
                log.WriteLine($"edgelstm: {options.Config}: {e.Message}");
                return ExitCodes.BadInput;
            }
            using (writer)
            {
                Sampler sampler = board.Sampler;
                long start = sampler.Clock.NowNanoseconds;
                long end = options.Duration is { } d ? start + (long)(d.TotalMilliseconds * 1_000_000) : long.MaxValue;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"edgelstm: {config.Board.Name}: recording {sampler.Channels.Count} channels at {config.Sampler.RateHz} Hz, {(config.Sampler.Clock == ClockKind.Fast ? "as fast as possible" : "real time")}, to {options.Output ?? "stdout"}"));
                long notGood = 0;
                while (!cancellationToken.IsCancellationRequested && sampler.WaitAndSample(cancellationToken) && sampler.Frame.TimestampNanoseconds < end)
                {
                    writer.Write(sampler.Frame, start);
                    notGood += sampler.Frame.HeldCount + sampler.Frame.BadCount;
                }
                writer.Flush();
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"edgelstm: recorded {writer.Rows} samples ({writer.Rows / config.Sampler.RateHz:0.###} s of board time); {notGood} channel values held or bad, left empty"));
            }
        }
        return ExitCodes.Success;
    }
}
