namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A recording that cannot be replayed. The message names the file, the line and column (1-based) and
/// says what to do; <see cref="Problems"/> lists every problem found (up to a limit), not just the first.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problems">The problems, each already naming its line and column.</param>
    public CsvFormatException(string path, IReadOnlyList<string> problems)
        : base(BuildMessage(path, problems))
    {
        Path = path;
        Problems = problems;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public CsvFormatException()
        : this("(unknown file)", [])
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    /// <param name="message">The message.</param>
    public CsvFormatException(string message)
        : base(message)
    {
        Path = "(unknown file)";
        Problems = [message];
    }

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "(unknown file)";
        Problems = [message];
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <summary>Gets the problems, each of the form <c>file:line:column: what. Hint: what to do.</c></summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(string path, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? problems[0]
            : $"{path}: {problems.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);
}
