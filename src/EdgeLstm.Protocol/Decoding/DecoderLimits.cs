namespace EdgeLstm.Protocol;

/// <summary>
/// Caps that keep a decoder of untrusted input bounded in memory and time. A frame that breaks one is reported as
/// a <see cref="FrameError"/> and skipped; the caps never make the decoder throw.
/// </summary>
/// <exception cref="ArgumentOutOfRangeException">A limit is set below 1, or MaxPayloadBytes above 16 MiB.</exception>
public sealed record DecoderLimits
{
    /// <summary>Limits that fit every frame this library writes with room to spare.</summary>
    public static DecoderLimits Default { get; } = new();

    /// <summary>Largest MessagePack payload of one frame, in bytes (CRC and COBS overhead not counted). Default 4096.</summary>
    public int MaxPayloadBytes { get; init => field = InRange(value, MaxPayloadCeiling); } = 4096;

    /// <summary>Deepest nesting of arrays and maps, counting the frame's own array as 1. Default 8.</summary>
    public int MaxNestingDepth { get; init => field = InRange(value, int.MaxValue); } = 8;

    /// <summary>Most elements in one array, entries in one map or bytes in one bin value. Default 1024.</summary>
    public int MaxArrayLength { get; init => field = InRange(value, int.MaxValue); } = 1024;

    /// <summary>Longest string, in UTF-8 bytes. Default 1024.</summary>
    public int MaxStringBytes { get; init => field = InRange(value, int.MaxValue); } = 1024;

    // Keeps the stream decoder's two fixed buffers (and COBS size arithmetic) far from int overflow.
    private const int MaxPayloadCeiling = 16 * 1024 * 1024;

    private static int InRange(int value, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        value >= 1 && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 1 and {max}.");

    /// <summary>Largest encoded frame on a stream (COBS overhead and CRC included, delimiter excluded).</summary>
    internal int MaxEncodedFrameBytes => Cobs.MaxEncodedLength(MaxPayloadBytes + Crc16Ccitt.Size);
}
