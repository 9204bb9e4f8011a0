namespace EdgeLstm.Convert.Onnx;

/// <summary>
/// The user's input (an ONNX file, a sidecar, a CSV) cannot be used. The message is one line that names the
/// file and, where it applies, the node, tensor, row or column; the command line reports it with exit code 2.
/// </summary>
public sealed class ConversionException : Exception
{
    /// <summary>Creates the exception with a one-line message naming what is wrong and where.</summary>
    public ConversionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the low-level error that revealed the problem.</summary>
    public ConversionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public ConversionException() : base("The input cannot be converted.") { }
}
