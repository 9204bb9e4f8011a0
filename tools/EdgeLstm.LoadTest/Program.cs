using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeLstm.Core;
using EdgeLstm.LoadTest.Cli;

namespace EdgeLstm.LoadTest;

/// <summary>Entry point of <c>edgelstm-loadtest</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; 0 every frame acknowledged, 1 frames lost or boards not connected, 2 bad input (one line on stderr), 3 an internal error.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true; // end the current phase and still report
            stop.Cancel();
        });
        RootCommand root = LoadCommand.Create(stop.Token);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Console.Error.WriteLine($"edgelstm-loadtest: {message} (see 'edgelstm-loadtest --help')");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            (string message, int code) = ExitCodes.ForUnhandled(e);
            Console.Error.WriteLine($"edgelstm-loadtest: {message}");
            return code;
        }
    }
}
