using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Collector → board: the frame <see cref="HighestSequence"/> and every frame sent before it on the same ordered
/// link arrived and were committed, so the board can drop them from its journal. Wire format: <c>AckFrameFormatter</c>, docs/protocol.md § 5.
/// </summary>
public readonly struct AckFrame : IWireFrame
{
    /// <summary>
    /// The sequence of the latest frame received and committed on this link; with it, everything the board sent
    /// before it there (docs/protocol.md § Acknowledgement: contiguous in the link's order, not across evicted gaps).
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
