using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;
using BoardRun = EdgeLstm.Runtime.Cli.RunCommand;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// The embedded demo board (the real runtime, in process) publishing to a broker under its own device id, on a thread
/// of its own so several run at once. Disposing it cancels a run that is still going and waits for it.
/// </summary>
internal sealed partial class DemoBoard : IDisposable
{
    /// <summary>The demo recording's known output: one Prediction per sample after the window fills; it raises and clears one alarm.</summary>
    public const int Predictions = 1139;

    public const int Alarms = 2;

    private readonly StringWriter _log = new();
    private readonly TextWriter _syncLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private int _exit = -1;

    private DemoBoard(int brokerPort, string deviceId, string? journal, TimeSpan? duration, bool loop, string? config, string? sink, Func<RunOptions, RunOptions>? adjust)
    {
        DeviceId = deviceId;
        _syncLog = TextWriter.Synchronized(_log);
        var options = new RunOptions(config, null, duration, null, OutputFormat.Msgpack, Loop: loop, Journal: journal,
            Sinks: [sink ?? $"mqtt://127.0.0.1:{brokerPort}"], DeviceId: deviceId);
        if (adjust is not null) options = adjust(options);
        _thread = new Thread(() => _exit = BoardRun.Run(options, Stream.Null, _syncLog, _stop.Token)) { IsBackground = true, Name = $"board {deviceId}" };
        _thread.Start();
    }

    /// <summary>Starts one run of the demo: the whole recording once, or looped for <paramref name="duration"/> of board time.</summary>
    /// <param name="journal">A journal folder: what is not acknowledged when the run ends is kept for the next run on it.</param>
    /// <param name="config">Another board file to run instead of the embedded demo (its sinks replaced by the broker).</param>
    /// <param name="sink">The <c>--sink</c> URI instead of <c>mqtt://127.0.0.1:brokerPort</c> (TLS, credentials).</param>
    /// <param name="adjust">Changes to the run's options (another model, trusted keys, the real-time clock).</param>
    public static DemoBoard Start(int brokerPort, string deviceId, string? journal = null, TimeSpan? duration = null, bool loop = false, string? config = null,
        string? sink = null, Func<RunOptions, RunOptions>? adjust = null) =>
        new(brokerPort, deviceId, journal, duration, loop, config, sink, adjust);

    public string DeviceId { get; }

    /// <summary>Everything the run logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_syncLog) return _log.ToString(); // the synchronized writer locks itself while writing
        }
    }

    /// <summary>Still sampling or still delivering its last frames.</summary>
    public bool IsRunning => _thread.IsAlive;

    /// <summary>Waits (bounded) for the run to end and checks that it ended well.</summary>
    public void WaitForExit(TimeSpan timeout)
    {
        Assert.True(_thread.Join(timeout), $"board {DeviceId} did not finish within {timeout}: {Log}");
        Assert.True(_exit == ExitCodes.Success, $"board {DeviceId} exit {_exit}: {Log}");
    }

    /// <summary>Frames the ended run made (its summary line), Hello included.</summary>
    public long FramesEmitted
    {
        get
        {
            Match summary = SummaryLine().Match(Log);
            Assert.True(summary.Success, $"board {DeviceId} printed no summary: {Log}");
            return long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The run's own word that the collector acknowledged everything it made.</summary>
    public bool LeftNothingUnacknowledged => Log.Contains("nothing left unacknowledged", StringComparison.Ordinal);

    [GeneratedRegex(@"stopped after \d+ samples in [\d.]+ s: \d+ predictions, \d+ alarm changes, (\d+) frames")]
    private static partial Regex SummaryLine();

    public void Dispose()
    {
        _stop.Cancel();
        // A run that does not end leaves its token alone rather than have it disposed under it.
        if (_thread.Join(TimeSpan.FromSeconds(30))) _stop.Dispose();
    }
}
