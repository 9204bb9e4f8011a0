namespace EdgeLstm.Protocol;

/// <summary>An update command's body cannot be read; the message says which field and why.</summary>
public sealed class UpdateCommandException : Exception
{
    /// <summary>Creates the exception with a message naming the field.</summary>
    public UpdateCommandException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public UpdateCommandException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception without a message (prefer the other constructors).</summary>
    public UpdateCommandException() { }
}
