using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Sent at connect and on model change: who the board is and what the following frames mean.
/// Wire format: <c>HelloFrameFormatter</c>, docs/protocol.md § 1.
/// </summary>
/// <remarks>
/// <see cref="EpochUnixMs"/> is the session's time origin: every later frame carries a 32-bit millisecond offset
/// from it, which costs 5 bytes instead of the 9 a full Unix-millisecond timestamp needs.
/// A sender sends a new Hello (new epoch) before an offset would pass <see cref="uint.MaxValue"/> (49.7 days).
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

    /// <inheritdoc />
    public FrameType Type => FrameType.Hello;

    /// <summary>Converts a frame's <c>TimeMs</c> offset to Unix milliseconds using this session's epoch.</summary>
    /// <param name="timeMs">A <c>TimeMs</c> value of a frame of this session.</param>
    /// <returns>The absolute time in Unix milliseconds.</returns>
    public ulong ToUnixMs(uint timeMs) => EpochUnixMs + timeMs;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => HelloFrameFormatter.Write(ref writer, this);
}
