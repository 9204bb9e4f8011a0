namespace EdgeLstm.Protocol;

/// <summary>What was wrong with a frame the decoder skipped. Callers count these per kind.</summary>
public enum FrameErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Stream framing: more bytes than the limit arrived without a 0x00 delimiter; they were discarded up to the next one.</summary>
    FrameTooLong,

    /// <summary>Stream framing: the stream ended in the middle of a frame.</summary>
    TruncatedStream,

    /// <summary>Stream framing: a COBS code byte points past the end of the frame.</summary>
    InvalidCobs,

    /// <summary>Stream framing: the frame is too short to hold a payload and its CRC.</summary>
    FrameTooShort,

    /// <summary>Stream framing: the CRC-16 does not match the payload; the bytes were changed in transit.</summary>
    CrcMismatch,

    /// <summary>MessagePack: a value claims more bytes or elements than the payload holds.</summary>
    TruncatedPayload,

    /// <summary>MessagePack: bytes follow the frame's array.</summary>
    TrailingBytes,

    /// <summary>MessagePack: a reserved or otherwise undecodable byte.</summary>
    InvalidMessagePack,

    /// <summary>Arrays or maps nest deeper than <see cref="DecoderLimits.MaxNestingDepth"/>.</summary>
    NestingTooDeep,

    /// <summary>An array, map, bin or string is longer than its <see cref="DecoderLimits"/> cap.</summary>
    LengthOverLimit,

    /// <summary>The payload is not a MessagePack array.</summary>
    NotAnArray,

    /// <summary>Element 0 of the array is missing or not an integer type tag.</summary>
    InvalidTypeTag,

    /// <summary>The array has fewer fields than its frame type requires.</summary>
    TooFewFields,

    /// <summary>A field has the wrong MessagePack type (e.g. a string where an integer belongs).</summary>
    WrongFieldType,

    /// <summary>A field's value is outside its allowed range (e.g. a negative sequence number).</summary>
    ValueOutOfRange,
}
