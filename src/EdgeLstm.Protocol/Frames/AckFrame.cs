using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Collector → board: everything up to and including <see cref="HighestSequence"/> arrived, so the board can drop
/// those frames from its resend queue. Wire format: <c>AckFrameFormatter</c>, docs/protocol.md § 5.
/// </summary>
public readonly struct AckFrame : IWireFrame
{
    /// <summary>The highest sequence number the collector has received.</summary>
    public uint HighestSequence { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Ack;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => AckFrameFormatter.Write(ref writer, this);
}
