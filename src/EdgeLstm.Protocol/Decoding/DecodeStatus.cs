namespace EdgeLstm.Protocol;

/// <summary>The outcome of decoding one frame.</summary>
public enum DecodeStatus
{
    /// <summary>A frame of a known type was decoded.</summary>
    Frame,

    /// <summary>A well-formed frame with a type tag this version does not know; skipped for forward compatibility.</summary>
    UnknownFrameType,

    /// <summary>The frame was damaged or malformed; <see cref="DecodeResult.Error"/> says how.</summary>
    Malformed,
}
