namespace EdgeLstm.Core.Signing;

/// <summary>A key, a signature or a signed document is unusable or not trusted; the message says what and where.</summary>
public sealed class SignatureException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public SignatureException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public SignatureException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception without a message (for serializers; prefer the other constructors).</summary>
    public SignatureException() { }
}
