namespace EdgeLstm.Core;

/// <summary>
/// Thrown when a model file or an in-memory model description is not usable: the message says what is wrong
/// and where (byte offset, layer, tensor), so a field engineer can tell a truncated copy from a wrong export.
/// </summary>
public sealed class InvalidModelException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong and where.</summary>
    public InvalidModelException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the low-level error that revealed the problem.</summary>
    public InvalidModelException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidModelException() : base("The model is invalid.") { }
}
