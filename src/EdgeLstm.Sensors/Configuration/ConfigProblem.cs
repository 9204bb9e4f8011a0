namespace EdgeLstm.Sensors.Configuration;

/// <summary>One thing wrong with a board config.</summary>
/// <param name="Path">Where: a JSON path such as <c>$.devices[1].channels[0].name</c>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">What to do about it.</param>
public sealed record ConfigProblem(string Path, string Message, string Hint)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} Hint: {Hint}";
}

/// <summary>A board config that cannot be used; <see cref="Problems"/> lists every problem found.</summary>
public sealed class BoardConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The config file (or a label for in-memory text).</param>
    /// <param name="problems">All problems.</param>
    public BoardConfigException(string file, IReadOnlyList<ConfigProblem> problems)
        : base($"{file}: {problems.Count} problem(s) in the board config:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public BoardConfigException()
        : this("(config)", [])
    {
    }

    /// <summary>Creates an exception with a plain message.</summary>
    /// <param name="message">The message.</param>
    public BoardConfigException(string message)
        : base(message)
    {
        File = "(config)";
        Problems = [];
    }

    /// <summary>Creates an exception with a plain message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BoardConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "(config)";
        Problems = [];
    }

    /// <summary>Gets the config file.</summary>
    public string File { get; }

    /// <summary>Gets the problems.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }
}
