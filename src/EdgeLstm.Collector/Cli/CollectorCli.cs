using System.CommandLine;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary>The <c>edgelstm-collector</c> command line: <c>run</c> (the default), <c>devices</c>, <c>alarms</c>, <c>export</c>, <c>plot</c>, <c>user</c>, <c>push-model</c>, <c>push-thresholds</c>.</summary>
internal static class CollectorCli
{
    /// <summary>The default database file.</summary>
    public const string DefaultStore = "./edgelstm.db";

    /// <summary>Parses and runs <paramref name="args"/>; no command means <c>run</c>. Exit codes are <see cref="ExitCodes"/>'.</summary>
    public static int Invoke(string[] args, TextWriter output, TextWriter error, CancellationToken stop = default) => Invoke(args, Console.In, output, error, stop);

    /// <summary>As <see cref="Invoke(string[], TextWriter, TextWriter, CancellationToken)"/>, reading stdin (a password) from <paramref name="input"/>.</summary>
    public static int Invoke(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken stop = default)
    {
        var root = new RootCommand("edgelstm-collector: receives the frames of EdgeLstm boards, de-duplicates them and keeps them in a database.")
        {
            RunCommand.Create(stop),
            DevicesCommand.Create(),
            AlarmsCommand.Create(),
            ExportCommand.Create(),
            PlotCommand.Create(),
            UserCommand.Create(input),
            PushCommand.CreateModel(TimeProvider.System),
            PushCommand.CreateThresholds(TimeProvider.System),
        };
        ParseResult parsed = root.Parse(args.Length == 0 || args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version") ? ["run", .. args] : args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            int exit = parsed.Invoke(configuration);
            return parsed.Errors.Count > 0 ? ExitCodes.BadInput : exit;
        }
        catch (Exception e)
        {
            (string message, int code) = ExitCodes.ForUnhandled(e);
            error.WriteLine($"edgelstm-collector: {message}");
            return code;
        }
    }

    /// <summary>The <c>--store</c> option every command takes.</summary>
    public static Option<string> StoreOption() => new("--store", "-s")
    {
        Description = $"The database: a SQLite file, or postgres://user:password@host:port/database?sslmode=… for PostgreSQL. Default: {DefaultStore}.",
        DefaultValueFactory = _ => DefaultStore,
    };
}
