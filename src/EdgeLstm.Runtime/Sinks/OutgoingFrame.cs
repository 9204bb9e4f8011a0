using EdgeLstm.Protocol;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// One frame ready to leave the board, in each representation a sink may want: COBS-framed stream bytes
/// (TCP, files, serial, stdout msgpack), a datagram (UDP) and a readable UTF-8 line (stdout text). A form that no
/// sink takes (<see cref="FrameSink.Form"/>) is not built and is empty.
/// </summary>
internal readonly ref struct OutgoingFrame(FrameType type, ReadOnlySpan<byte> stream, ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> text)
{
    /// <summary>Hello, Prediction, Alarm or Health.</summary>
    public FrameType Type { get; } = type;

    /// <summary>The frame framed for byte streams (docs/protocol.md); empty when no sink takes <see cref="FrameForm.Stream"/>.</summary>
    public ReadOnlySpan<byte> Stream { get; } = stream;

    /// <summary>The frame as one UDP datagram; empty when no sink takes <see cref="FrameForm.Datagram"/>.</summary>
    public ReadOnlySpan<byte> Datagram { get; } = datagram;

    /// <summary>A readable line, newline included; empty when no sink takes <see cref="FrameForm.Text"/>.</summary>
    public ReadOnlySpan<byte> Text { get; } = text;
}
