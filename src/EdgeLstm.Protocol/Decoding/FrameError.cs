using System.Globalization;
using System.Text;

namespace EdgeLstm.Protocol;

/// <summary>
/// Why a frame was skipped and where: the kind to count, the frame type and field when known, and byte offsets
/// into the payload and the stream. <see cref="ToString"/> gives a one-line message for logs.
/// </summary>
public readonly struct FrameError
{
    internal FrameError(FrameErrorKind kind, string detail, int payloadOffset = -1, int typeTag = -1, int fieldIndex = -1, string? fieldName = null)
    {
        Kind = kind;
        Detail = detail;
        PayloadOffset = payloadOffset;
        TypeTag = typeTag;
        FieldIndex = fieldIndex;
        FieldName = fieldName;
        StreamOffset = -1;
    }

    /// <summary>What was wrong.</summary>
    public FrameErrorKind Kind { get; }

    /// <summary>A human-readable description of the problem, e.g. "expected integer, found String".</summary>
    public string Detail { get; }

    /// <summary>The byte offset in the frame's MessagePack payload where the problem was found, or -1 for framing errors.</summary>
    public int PayloadOffset { get; }

    /// <summary>The frame's type tag when it could be read, else -1.</summary>
    public int TypeTag { get; }

    /// <summary>The array index of the bad field (1 = first field after the tag), or -1.</summary>
    public int FieldIndex { get; }

    /// <summary>The name of the bad field, or null.</summary>
    public string? FieldName { get; }

    /// <summary>The byte offset in the stream where the frame started, or -1 when decoding a lone payload or datagram.</summary>
    public long StreamOffset { get; init; }

    /// <summary>A one-line message naming what is wrong and where.</summary>
    /// <returns>E.g. "WrongFieldType in Prediction field 4 (probabilities) at payload byte 12: expected Binary, found String; frame at stream byte 240".</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Kind.ToString());
        if (TypeTag >= 0)
        {
            text.Append(" in ").Append(TypeTag <= byte.MaxValue && Enum.IsDefined((FrameType)TypeTag)
                ? ((FrameType)TypeTag).ToString()
                : "frame type " + TypeTag.ToString(CultureInfo.InvariantCulture));
        }

        if (FieldIndex >= 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" field {FieldIndex} ({FieldName})");
        }

        if (PayloadOffset >= 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" at payload byte {PayloadOffset}");
        }

        text.Append(": ").Append(Detail);
        if (StreamOffset >= 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; frame at stream byte {StreamOffset}");
        }

        return text.ToString();
    }
}
