using MessagePack;

namespace EdgeLstm.Protocol;

/// <summary>
/// Collector → board: everything up to and including <see cref="HighestSequence"/> arrived, so the board can drop
/// those frames from its resend queue. Wire form: <c>[5, highestSequence]</c>.
/// </summary>
public readonly struct AckFrame : IWireFrame
{
    /// <summary>Number of fields after the type tag that this version writes and requires.</summary>
    internal const int FieldCount = 1;

    /// <summary>The highest sequence number the collector has received.</summary>
    public uint HighestSequence { get; init; }

    /// <inheritdoc />
    public FrameType Type => FrameType.Ack;

    /// <inheritdoc />
    public void WriteTo(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount + 1);
        writer.Write((byte)FrameType.Ack);
        writer.Write(HighestSequence);
    }
}
