using System.CommandLine;
using EdgeLstm.Core;

namespace EdgeLstm.Runtime.Cli;

/// <summary>The <c>edgelstm</c> command line: its commands, and the exit code of a command line it cannot parse.</summary>
internal static class EdgeLstmCli
{
    /// <summary>
    /// Parses and runs <paramref name="args"/>. With no arguments, runs the embedded demo board (<c>edgelstm</c> and
    /// <c>edgelstm run</c> do the same). A command line that does not parse (an unknown option, a value of the wrong
    /// type) is printed with the usage and exits <see cref="ExitCodes.BadInput"/>, like every other bad argument.
    /// </summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var root = new RootCommand("edgelstm: runs a recurrent fault-prediction model on sensor data and emits predictions.")
        {
            RunCommand.Create(),
            RecordCommand.Create(),
            ValidateCommand.Create(),
            InfoCommand.Create(),
            SelfTestCommand.Create(),
            JournalCommand.Create(),
        };
        ParseResult parsed = root.Parse(args.Length == 0 ? ["run"] : args);
        configuration ??= new InvocationConfiguration();
        // Our handler, not System.CommandLine's (which prints a stack trace and exits 1): every end has a documented code.
        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            int exit = parsed.Invoke(configuration);
            return parsed.Errors.Count > 0 ? ExitCodes.BadInput : exit;
        }
        catch (Exception e)
        {
            (string message, int code) = Fault(e);
            configuration.Error.WriteLine($"edgelstm: {message}");
            return code;
        }
    }

    /// <summary>
    /// The one-line message and exit code of an exception no command handled: running out of memory or stack is bad
    /// input (a model, window or file too large for this machine), anything else is an internal error.
    /// </summary>
    public static (string Message, int Code) Fault(Exception e) => ExitCodes.ForUnhandled(e);
}
