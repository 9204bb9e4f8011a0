namespace EdgeLstm.Protocol;

/// <summary>
/// Caps that keep a decoder of untrusted input bounded in memory and time. A frame that breaks one is reported as
/// a <see cref="FrameError"/> and skipped; the caps never make the decoder throw.
/// </summary>
public sealed record DecoderLimits
{
    /// <summary>Limits that fit every frame this library writes with room to spare.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>Largest MessagePack payload of one frame, in bytes (CRC and COBS overhead not counted). Default 4096.</summary>
    public int MaxPayloadBytes { get; init; } = 4096;

    /// <summary>Deepest nesting of arrays and maps, counting the frame's own array as 1. Default 8.</summary>
    public int MaxNestingDepth { get; init; } = 8;

    /// <summary>Most elements in one array, entries in one map or bytes in one bin value. Default 1024.</summary>
    public int MaxArrayLength { get; init; } = 1024;

    /// <summary>Longest string, in UTF-8 bytes. Default 1024.</summary>
    public int MaxStringBytes { get; init; } = 1024;

    /// <summary>Largest encoded frame on a stream (COBS overhead and CRC included, delimiter excluded).</summary>
    internal int MaxEncodedFrameBytes => Cobs.MaxEncodedLength(MaxPayloadBytes + Crc16Ccitt.Size);
}
