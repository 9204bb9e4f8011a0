namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// The journal's folder cannot be used at all (it is a file, permission is denied, the file system is read-only):
/// a configuration error, which the commands report in one sentence and exit 2 on. Damaged content never raises it.
/// </summary>
internal sealed class JournalException : Exception
{
    public JournalException(string message)
        : base(message)
    {
    }

    public JournalException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public JournalException()
    {
    }
}
