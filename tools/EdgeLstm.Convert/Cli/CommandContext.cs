using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core;
using Spectre.Console;

namespace EdgeLstm.Convert.Cli;

/// <summary>Where a command writes, and the one place that turns exceptions into one-line errors and exit codes.</summary>
internal sealed class CommandContext
{
    public CommandContext(TextWriter output, TextWriter error, bool verbose, bool interactive)
    {
        Output = output;
        Error = error;
        Verbose = verbose;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive) Console.Profile.Width = 120;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Verbose { get; }

    /// <summary>Spectre console over <see cref="Output"/> (plain text when not a terminal).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// Runs a command body: bad input (running out of memory or stack on it included) prints one line (the stack trace
    /// only with --verbose) and returns 2; any other exception is an internal error, 3.
    /// </summary>
    public int Execute(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ConversionException e)
        {
            return Report(e, e.Message, ExitCodes.BadInput);
        }
        catch (InvalidModelException e)
        {
            return Report(e, e.Message, ExitCodes.BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Report(e, e.Message, ExitCodes.BadInput);
        }
        catch (OutOfMemoryException e)
        {
            return Report(e, "out of memory: the input needs more memory than this machine has", ExitCodes.BadInput);
        }
        catch (InsufficientExecutionStackException e)
        {
            return Report(e, "out of stack: the input is nested too deeply to process", ExitCodes.BadInput);
        }
        catch (Exception e)
        {
            return Report(e, $"internal error ({e.GetType().Name}): {e.Message} — please report it with the --verbose output", ExitCodes.InternalError);
        }
    }

    private int Report(Exception e, string message, int code)
    {
        Error.WriteLine("error: " + message.ReplaceLineEndings(" "));
        if (Verbose) Error.WriteLine(e.ToString());
        return code;
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar on a terminal; plainly otherwise.</summary>
    public T WithProgress<T>(string description, Func<Action<int, int>, T> work)
    {
        if (!Console.Profile.Capabilities.Interactive) return work((_, _) => { });
        return Console.Progress().AutoClear(true).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask(description);
            return work((done, total) =>
            {
                task.MaxValue = Math.Max(1, total);
                task.Value = done;
            });
        });
    }
}
