using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Sent at start, at connect and on model change: who the board is and what the following frames mean.
/// Wire format: <c>HelloFrameFormatter</c>, docs/protocol.md § 1.
/// </summary>
/// <remarks>
/// A Hello takes a <see cref="Sequence"/> number from the same counter as every other frame, and a frame with
/// sequence s belongs to the latest Hello with a sequence below s: that Hello's <see cref="EpochUnixMs"/> turns the
/// frame's 32-bit <c>timeMs</c> into Unix time (5 bytes on the wire instead of the 9 of a full Unix-millisecond
/// timestamp) and its <see cref="OutputLabels"/> name the frame's outputs. A sender sends a new Hello (same session,
/// new epoch) before an offset would pass <see cref="uint.MaxValue"/> (49.7 days), and re-sends the latest Hello
/// periodically on datagram links, where one can be lost.
/// </remarks>
public readonly struct HelloFrame : IWireFrame
{
    /// <summary>The protocol version the sender speaks; <see cref="ProtocolInfo.Version"/> for this library.</summary>
    public ushort ProtocolVersion { get; init; }

    /// <summary>A stable identifier of the board, e.g. its hostname or serial number.</summary>
    public string DeviceId { get; init; }

    /// <summary>The runtime's version string.</summary>
    public string FirmwareVersion { get; init; }

    /// <summary>The identifier of the loaded model (name and hash or version).</summary>
    public string ModelId { get; init; }

    /// <summary>The model's input channels, in the order of <see cref="HealthFrame.ChannelReadErrors"/>.</summary>
    public IReadOnlyList<string> ChannelNames { get; init; }

    /// <summary>The model's output classes, in the order of <see cref="PredictionFrame.Probabilities"/>.</summary>
    public IReadOnlyList<string> OutputLabels { get; init; }

    /// <summary>The sampling rate in samples per second.</summary>
    public float SampleRateHz { get; init; }

    /// <summary>The session's time origin in Unix milliseconds; other frames' <c>TimeMs</c> count from here.</summary>
    public ulong EpochUnixMs { get; init; }

    /// <summary>
    /// A random number drawn at each start of the runtime. A collector that sees a new session whose
    /// <see cref="Sequence"/> is not above the last sequence it has from the device knows the board's numbering
    /// restarted (it lost, or has no, journal). 0 when a version-1 sender left the field out.
    /// </summary>
    public ulong SessionId { get; init; }

    /// <summary>This Hello's number from the board's frame counter, shared by every frame it sends; 0 from a version-1 sender.</summary>
    public ulong Sequence { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Hello;

    /// <summary>Converts a frame's <c>TimeMs</c> offset to Unix milliseconds using this session's epoch.</summary>
    /// <param name="timeMs">A <c>TimeMs</c> value of a frame of this session.</param>
    /// <returns>The absolute time in Unix milliseconds.</returns>
    public ulong ToUnixMs(uint timeMs) => EpochUnixMs + timeMs;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => HelloFrameFormatter.Write(ref writer, this);
}
