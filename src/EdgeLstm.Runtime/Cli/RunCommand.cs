using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Runtime.Updates;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Cli;

/// <summary>How stdout shows frames.</summary>
public enum OutputFormat
{
    /// <summary>Readable lines.</summary>
    Text,

    /// <summary>Framed MessagePack, as a collector reads it.</summary>
    Msgpack,
}

/// <summary>What <c>edgelstm run</c> was asked to do.</summary>
/// <param name="Config">Board config; null runs the embedded demo board.</param>
/// <param name="Model">Model file; null takes the config's <c>model.path</c>.</param>
/// <param name="Duration">Stop after this much (board) time; null runs until stopped or a replay ends.</param>
/// <param name="Speed">Overrides the config's clock.</param>
/// <param name="Format">How stdout shows frames.</param>
/// <param name="Loop">Replayed recordings start over at their end instead of ending the run.</param>
/// <param name="Journal">The journal folder; null takes the config's <c>journal.path</c>.</param>
/// <param name="Recommission">Discard the commissioned thresholds kept in the journal folder and commission again.</param>
/// <param name="Sinks">Sink URIs that replace the config's sinks (<c>--sink</c>, repeatable); null keeps the config's.</param>
/// <param name="DeviceId">The device id frames carry instead of <c>board.name@hostname</c>.</param>
/// <param name="TrustedKeys">Public key files (absolute) this run trusts besides the config's <c>trust.modelKeys</c>.</param>
internal sealed record RunOptions(string? Config, string? Model, TimeSpan? Duration, RunSpeed? Speed, OutputFormat Format, bool Loop = false, string? Journal = null,
    bool Recommission = false, IReadOnlyList<string>? Sinks = null, string? DeviceId = null, IReadOnlyList<string>? TrustedKeys = null);

/// <summary><c>edgelstm run</c>: sample → infer → decide → emit until stopped.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Board config JSON. Default: the embedded demo board (SKAB pump recording, bundled model)." };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "Model file (.elstm). Default: the config's model.path." };
        var duration = new Option<double?>("--duration", "-d") { Description = "Stop after this many seconds of board time. Default: run until SIGINT/SIGTERM or the end of a replay." };
        var speed = new Option<RunSpeed?>("--speed") { Description = "realtime: sample on the wall clock; max: as fast as possible (replay, simulation). Default: the config's sampler.clock." };
        var format = new Option<OutputFormat>("--format", "-f") { Description = "stdout shows readable lines (text) or framed MessagePack (msgpack).", DefaultValueFactory = _ => OutputFormat.Text };
        var loop = new Option<bool>("--loop") { Description = "Replayed recordings start over at their end: run until --duration or SIGINT/SIGTERM (soak tests, throughput)." };
        var journal = new Option<DirectoryInfo?>("--journal", "-j") { Description = "Journal every frame in this folder before any sink sees it; TCP and serial sinks deliver from it with acknowledgements, across link outages and restarts. Default: the config's journal.path; none (TCP/serial keep an unsaved journal in RAM)." };
        var recommission = new Option<bool>("--recommission") { Description = "Commission the alarms again: discard the thresholds an earlier run commissioned and kept in the journal folder (after maintenance, or a change of machine)." };
        var sink = new Option<string[]>("--sink", "-s") { Description = "Send frames here instead of the config's sinks; repeat for several: stdout, null, file:PATH, tcp://host:port, udp://host:port, serial:DEVICE@baud, mqtt://[user:password@]host[:port]", Arity = ArgumentArity.OneOrMore };
        Option<FileInfo[]> trustedKey = TrustedKeyOption();
        var deviceId = new Option<string?>("--device-id") { Description = "The device id the frames (and MQTT topics) carry. Default: board.name@hostname." };
        var command = new Command("run", "Sample the board's sensors, run the model, decide and emit frames.") { config, model, duration, speed, format, loop, journal, recommission, sink, deviceId, trustedKey };
        command.SetAction(result =>
        {
            double? seconds = result.GetValue(duration);
            if (seconds is <= 0 or > 1e9)
            {
                result.InvocationConfiguration.Error.WriteLine($"edgelstm: --duration must be a positive number of seconds; got {seconds}.");
                return ExitCodes.BadInput;
            }
            var options = new RunOptions(result.GetValue(config)?.FullName, result.GetValue(model)?.FullName,
                seconds is { } s ? TimeSpan.FromSeconds(s) : null, result.GetValue(speed), result.GetValue(format), result.GetValue(loop),
                result.GetValue(journal)?.FullName, result.GetValue(recommission), result.GetValue(sink) is { Length: > 0 } sinks ? sinks : null, result.GetValue(deviceId),
                TrustedKeys(result, trustedKey));
            using var stop = new CancellationTokenSource();
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using Stream stdout = StandardOutput.Open();
            return Run(options, stdout, TextWriter.Synchronized(result.InvocationConfiguration.Error), stop.Token);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // shut down cleanly: flush sinks, exit 0
                stop.Cancel();
            }
        });
        return command;
    }

    /// <summary><c>--trusted-key PUB.pem</c> (repeatable), shared by run and validate.</summary>
    public static Option<FileInfo[]> TrustedKeyOption() => new("--trusted-key")
    {
        Description = "Accept only models signed by this public key (a public.pem from 'edgelstm-convert keygen'); repeat for several. Added to the config's trust.modelKeys.",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The <c>--trusted-key</c> files given, as absolute paths, or null.</summary>
    public static IReadOnlyList<string>? TrustedKeys(ParseResult result, Option<FileInfo[]> option) =>
        result.GetValue(option) is { Length: > 0 } keys ? [.. keys.Select(k => k.FullName)] : null;

    /// <summary>Runs the board until cancelled, the duration is reached or a replay ends. Returns the exit code.</summary>
    public static int Run(RunOptions options, Stream stdout, TextWriter log, CancellationToken cancellationToken)
    {
        RuntimeSetup? setup = RuntimeSetup.Load(options.Config, options.Model, new RunOverrides(options.Speed, options.Loop, options.Sinks, options.DeviceId, options.TrustedKeys), out List<string> problems);
        if (setup is null)
        {
            log.WriteLine($"edgelstm: cannot run ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):");
            foreach (string problem in problems) log.WriteLine($"  {problem}");
            return ExitCodes.BadInput;
        }
        foreach (string warning in setup.Warnings) log.WriteLine($"edgelstm: warning: {warning}");

        SensorBoard? board = BoardStart.TryCreate(setup.Board, log);
        if (board is null) return ExitCodes.BadInput;
        using (board)
        {
            foreach (string error in board.StartupErrors)
                log.WriteLine($"edgelstm: degraded: {error}; the device is retried with backoff and its channels are held, then marked bad");

            FrameJournal? journal;
            try
            {
                journal = JournalStart.Open(setup, options.Journal, log);
            }
            catch (JournalException e)
            {
                log.WriteLine($"edgelstm: {e.Message}");
                return ExitCodes.BadInput;
            }
            using (journal)
            {
                // Remote updates need somewhere to keep what they change: the journal's folder on disk.
                UpdateStore? updates = null;
                if (journal is { IsDurable: true })
                {
                    try
                    {
                        updates = UpdateStore.Open(journal.Location);
                    }
                    catch (UpdateStoreException e)
                    {
                        log.WriteLine($"edgelstm: {e.Message}");
                        return ExitCodes.BadInput;
                    }
                    setup = PersistedUpdate.Apply(setup, updates, log);
                }
                // Commands arrive only through an mqtt sink: without one, no inbox and no update thread.
                using CommandInbox? commands = updates is not null && setup.Sections.Sinks?.Any(s => s.Type == SinkKind.Mqtt) == true ? new CommandInbox() : null;
                List<FrameSink> sinks;
                try
                {
                    sinks = SinkFactory.Create(setup.Sections.Sinks, setup.Board.BaseDirectory, options.Format == OutputFormat.Text, stdout, log, journal,
                        deviceId: setup.DeviceId, commands: commands);
                }
                catch (SinkException e)
                {
                    log.WriteLine($"edgelstm: {e.Message}");
                    return ExitCodes.BadInput;
                }
                return Run(setup, board, journal, sinks, options, log, updates, commands, cancellationToken);
            }
        }
    }

    private static int Run(RuntimeSetup setup, SensorBoard board, FrameJournal? journal, List<FrameSink> sinks, RunOptions options, TextWriter log,
        UpdateStore? updates, CommandInbox? commands, CancellationToken cancellationToken)
    {
        BoardConfig config = setup.Board.Config;
        long samples, predictions, alarmChanges, emitted;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (FrameEmitter emitter = setup.CreateEmitter(sinks, journal))
        {
            // Thresholds are kept beside a journal on disk: the one place a board keeps state across restarts.
            string? calibrationDirectory = journal is { IsDurable: true } ? journal.Location : null;
            using BoardPipeline pipeline = setup.CreatePipeline(board, emitter, log, calibrationDirectory, options.Recommission);
            ulong firstSequence = emitter.NextSequence;
            emitter.EmitHello(setup.CreateHello());
            using UpdateWorker? worker = commands is null ? null
                : new UpdateWorker(commands, new UpdateVerifier(setup, () => updates!.Version, () => pipeline.Rules, TimeProvider.System));
            if (worker is not null)
            {
                pipeline.AcceptUpdates(worker, updates!, setup.ModelId, calibrationDirectory, (id, model) => emitter.Hello with
                {
                    ModelId = id,
                    ChannelNames = [.. model.Metadata.Channels.Select(c => c.Name)],
                    OutputLabels = [.. model.Metadata.OutputNames],
                    SessionId = RuntimeSetup.NewSessionId(),
                });
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edgelstm: {config.Board.Name}: model {Path.GetFileName(setup.ModelPath)} (id {setup.ModelId}, {setup.Model.Backend}, {pipeline.Mode}) at {config.Sampler.RateHz} Hz, {(config.Sampler.Clock == ClockKind.Fast ? "as fast as possible" : "real time")}{(options.Loop ? ", replay looped" : "")}; frames to {string.Join(", ", sinks.Select(s => s.Name))}{JournalNote(journal, firstSequence)}"));

            using SystemdNotifier? systemd = SystemdNotifier.FromEnvironment(log);
            if (systemd?.PetInterval is { } pet && pipeline.Sampler.PeriodNanoseconds > pet.TotalMilliseconds * 1_000_000)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"edgelstm: warning: the sample period ({pipeline.Sampler.PeriodNanoseconds / 1e9:0.###} s) is longer than a quarter of the systemd watchdog ({systemd.Watchdog!.Value.TotalSeconds:0.###} s): the watchdog can restart the runtime between samples; raise WatchdogSec="));
            }
            // A fail-safe alarm output is energized only while samples flow (docs/sensors.md).
            board.Alarm?.SetMonitoring(true);
            samples = pipeline.Run(cancellationToken, options.Duration, systemd);
            board.Alarm?.SetMonitoring(false);
            predictions = pipeline.Predictions;
            alarmChanges = pipeline.AlarmChanges;
            emitted = emitter.FramesEmitted;
        }
        // The sinks are closed now: every count below is final.
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"edgelstm: stopped after {samples} samples in {started.Elapsed.TotalSeconds:F2} s: {predictions} predictions, {alarmChanges} alarm changes, {emitted} frames"));
        foreach (FrameSink sink in sinks) log.WriteLine($"edgelstm:   {Outcome(sink, journal)}");
        if (journal is not null) log.WriteLine($"edgelstm:   {JournalOutcome(journal)}");
        return ExitCodes.Success;
    }

    private static string JournalNote(FrameJournal? journal, ulong firstSequence) => journal is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"; journal {(journal.IsDurable ? journal.Location : "in RAM (not kept across restarts)")}, sequences from #{firstSequence}");

    /// <summary>One line per sink: what it did with the frames, so nothing is reported as delivered that was not.</summary>
    private static string Outcome(FrameSink sink, FrameJournal? journal)
    {
        string failure = sink.Failure is { } reason ? $"; degraded: {reason}" : "";
        if (sink is DeliverySink delivery)
        {
            long waiting = delivery.Backlog;
            string left = waiting == 0 ? "nothing left unacknowledged"
                : journal is { IsDurable: true } ? $"{waiting} unacknowledged frames wait in the journal for the next start"
                : $"{waiting} unacknowledged frames lost with the in-RAM journal (give --journal DIR to keep them)";
            return string.Create(CultureInfo.InvariantCulture, $"{sink.Name}: {delivery.Acknowledged} frames acknowledged, {delivery.Sent} sent (resends included), {left}{failure}");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{sink.Name}: {sink.Drops} frames dropped{failure}");
    }

    private static string JournalOutcome(FrameJournal journal)
    {
        JournalCounters counters = journal.Counters;
        return string.Create(CultureInfo.InvariantCulture,
            $"journal: {counters.Appended} frames appended, {counters.Evicted} evicted to stay within its bound, {counters.Dropped} refused (queue full or disk failing), {counters.BytesOnStorage} bytes kept");
    }

    /// <summary>The runtime's version, as frames report it.</summary>
    public static string FirmwareVersion { get; } =
        typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
