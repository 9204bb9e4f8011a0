namespace EdgeLstm.Core;

/// <summary>The process exit codes of every EdgeLstm program (<c>edgelstm</c>, <c>edgelstm-convert</c>, <c>edgelstm-evaluate</c>), as the README documents them.</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>edgelstm run</c> also a clean shutdown (duration reached, end of a replay, SIGINT or SIGTERM).</summary>
    public const int Success = 0;

    /// <summary>A check ran and failed: <c>edgelstm selftest</c> found a kernel that disagrees with the scalar path, or <c>edgelstm-convert verify</c> is above its tolerances.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input that makes going on pointless: a missing or corrupt model, data file or config, a config that does not fit the model, a sink or pin that cannot be opened, bad arguments.</summary>
    public const int BadInput = 2;

    /// <summary>A bug in the program, not in the user's input; the message asks for a report with <c>--verbose</c>.</summary>
    public const int InternalError = 3;

    /// <summary>
    /// The exit code and one-line message (no stack trace) of an exception no command handled: running out of memory
    /// or stack is <see cref="BadInput"/> (a model, window or file too large for this machine, or nested too deeply),
    /// anything else <see cref="InternalError"/>.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The message, without a program-name prefix, and the code.</returns>
    public static (string Message, int Code) ForUnhandled(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OutOfMemoryException => ("out of memory: the model, its window or a data file needs more memory than this machine has (edgelstm validate prints a model's need)", BadInput),
            InsufficientExecutionStackException => ("out of stack: an input is nested too deeply to process", BadInput),
            _ => ($"internal error ({exception.GetType().Name}): {exception.Message.ReplaceLineEndings(" ")}; please report it with the command line that caused it", InternalError),
        };
    }
}
