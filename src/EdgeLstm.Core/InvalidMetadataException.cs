namespace EdgeLstm.Core;

/// <summary>
/// A model metadata value (an ONNX <c>metadata_props</c> entry, see <see cref="Model.MetadataKeys"/>) cannot be used.
/// The message names the key and the value and says what was expected, e.g.
/// <c>metadata 'edgelstm.window' is '0': expected a whole number from 1 to 65536.</c>; callers prefix the file.
/// </summary>
public sealed class InvalidMetadataException : FormatException
{
    private const int MaxShownValueLength = 80;

    /// <summary>Creates the exception.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value as given.</param>
    /// <param name="problem">What is wrong or expected, without a final period.</param>
    public InvalidMetadataException(string key, string value, string problem)
        : base(BuildMessage(key, value, problem))
    {
        Key = key;
        Value = value;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidMetadataException()
        : this("The model metadata is invalid.")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    /// <param name="message">The message.</param>
    public InvalidMetadataException(string message)
        : base(message)
    {
        Key = "";
        Value = "";
    }

    /// <summary>Creates the exception with a plain message and the error that revealed the problem.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidMetadataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "";
        Value = "";
    }

    /// <summary>Gets the metadata key whose value is wrong.</summary>
    public string Key { get; }

    /// <summary>Gets the value as given.</summary>
    public string Value { get; }

    private static string BuildMessage(string key, string value, string problem)
    {
        string shown = value.Trim();
        if (shown.Length > MaxShownValueLength) shown = string.Concat(shown.AsSpan(0, MaxShownValueLength - 1), "…");
        return shown.Length == 0 ? $"metadata '{key}' is empty: {problem}." : $"metadata '{key}' is '{shown}': {problem}.";
    }
}
