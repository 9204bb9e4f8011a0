using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Collector → board: frames arrived and were committed, so the board can drop them from its journal. On an ordered
/// link (TCP, serial) the frame <see cref="HighestSequence"/> and every frame sent before it on that link; as a range
/// Ack (<see cref="LowestSequence"/> set, for links that do not keep order, such as MQTT through a broker) exactly the
/// frames numbered <see cref="LowestSequence"/> … <see cref="HighestSequence"/>. Wire format: <c>AckFrameFormatter</c>, docs/protocol.md § 5.
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

    /// <summary>
    /// Set in a range Ack: the first sequence of the committed run that ends at <see cref="HighestSequence"/> (every
    /// sequence between them was committed); null in an Ack of an ordered link.
    /// </summary>
    public ulong? LowestSequence { get; init; }

    /// <summary>True for a range Ack (<see cref="LowestSequence"/> set).</summary>
    public bool IsRange => LowestSequence.HasValue;

    /// <inheritdoc />
    public FrameType Type => FrameType.Ack;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => AckFrameFormatter.Write(ref writer, this);
}
