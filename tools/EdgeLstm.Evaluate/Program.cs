using System.CommandLine;
using EdgeLstm.Core;
using EdgeLstm.Evaluate.Cli;

namespace EdgeLstm.Evaluate;

/// <summary>Entry point of <c>edgelstm-evaluate</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; 0 success, 2 bad input or a failed step (one line on stderr), 3 an internal error.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        var root = new RootCommand("edgelstm-evaluate: score committed models on the EdgeLstm runtime.") { SkabCommand.Create(Console.Error) };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Console.Error.WriteLine($"error: {message} (see 'edgelstm-evaluate skab --help')");
            return ExitCodes.BadInput;
        }

        // Our handler, not System.CommandLine's (a stack trace and exit 1): every end has a documented code.
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            (string message, int code) = ExitCodes.ForUnhandled(e);
            Console.Error.WriteLine($"error: {message}");
            return code;
        }
    }
}
