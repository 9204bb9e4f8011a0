using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Something happened to the board itself (not to the machine it watches): a remote update applied, refused or rolled
/// back. Rare, so its words travel as text. Wire format: <c>EventFrameFormatter</c>, docs/protocol.md § 6.
/// </summary>
public readonly struct EventFrame : IWireFrame
{
    /// <summary>The longest <see cref="Message"/> a board sends, in UTF-8 bytes (longer text is cut).</summary>
    public const int MaxMessageBytes = 512;

    /// <summary>The board's frame counter (see <see cref="AlarmFrame.Sequence"/>).</summary>
    public ulong Sequence { get; init; }

    /// <summary>Milliseconds since <see cref="HelloFrame.EpochUnixMs"/> of the session's Hello.</summary>
    public uint TimeMs { get; init; }

    /// <summary>What happened.</summary>
    public BoardEventKind Kind { get; init; }

    /// <summary>The update's version (0 when the event is about no update or its version could not be read).</summary>
    public ulong UpdateVersion { get; init; }

    /// <summary>The id of the model the board runs after the event (docs/model-format.md § Model id).</summary>
    public string ModelId { get; init; }

    /// <summary>One sentence for the operator: what was applied, or why it was refused.</summary>
    public string Message { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Event;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer) => EventFrameFormatter.Write(ref writer, this);
}
