using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Collector → board: every frame up to and including <see cref="HighestSequence"/> arrived and was committed, so
/// the board can drop those frames from its journal. Wire format: <c>AckFrameFormatter</c>, docs/protocol.md § 5.
/// </summary>
public readonly struct AckFrame : IWireFrame
{
    /// <summary>
    /// The highest contiguous sequence number received and committed: no frame at or below it is missing (a frame
    /// received beyond a gap does not raise it).
    /// </summary>
    public ulong HighestSequence { get; init; }

    /// <summary>
    /// The <see cref="HelloFrame.SessionId"/> of the latest Hello the collector has seen on this link, so a board can
    /// tell an Ack meant for its current numbering; 0 from a version-1 collector.
    /// </summary>
    public ulong SessionId { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Ack;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => AckFrameFormatter.Write(ref writer, this);
}
