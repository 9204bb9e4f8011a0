using System.CommandLine;
using EdgeLstm.Core;

namespace EdgeLstm.Convert.Cli;

/// <summary>The <c>edgelstm-convert</c> command line: convert, verify, predict, info, keygen, sign.</summary>
public static class ConvertCli
{
    /// <summary>Parses and runs <paramref name="args"/>; writes to the given writers (the console when null).</summary>
    /// <returns>0 success, 1 failed verification, 2 bad input (including bad arguments), 3 internal error.</returns>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool interactive = output is null && !Console.IsOutputRedirected;
        output ??= Console.Out;
        error ??= Console.Error;
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces with errors.", Recursive = true };
        CommandContext Context(ParseResult result) => new(output, error, result.GetValue(verbose), interactive);
        var root = new RootCommand("edgelstm-convert: convert ONNX LSTM/GRU models to .elstm, verify them against ONNX Runtime, score CSV data.")
        {
            ConvertCommand.Create(verbose, Context),
            VerifyCommand.Create(Context),
            PredictCommand.Create(Context),
            InfoCommand.Create(Context),
            KeygenCommand.Create(Context),
            SignCommand.Create(Context),
        };
        root.Options.Add(verbose);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Bad arguments are bad input: one line, exit 2, and where to look for the usage.
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
            error.WriteLine($"error: {message} (see 'edgelstm-convert {(parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ")}--help')");
            return ExitCodes.BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
