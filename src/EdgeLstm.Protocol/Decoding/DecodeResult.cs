namespace EdgeLstm.Protocol;

/// <summary>
/// One decoded frame, an unknown-but-valid frame, or a typed error. Decoders return one of these per frame and
/// never throw on bad input, so a read loop can count errors and carry on.
/// </summary>
public readonly struct DecodeResult
{
    private readonly object? _frame;

    // An Ack is kept unboxed, so the board can read the collector's Acks without allocating.
    private readonly uint _ackedSequence;

    private DecodeResult(DecodeStatus status, int typeTag, object? frame, FrameError error, long streamOffset, uint ackedSequence = 0)
    {
        Status = status;
        TypeTag = typeTag;
        _frame = frame;
        Error = error;
        StreamOffset = streamOffset;
        _ackedSequence = ackedSequence;
    }

    /// <summary>Whether a frame, an unknown frame or an error was found.</summary>
    public DecodeStatus Status { get; }

    /// <summary>The frame's type tag, or -1 when it could not be read.</summary>
    public int TypeTag { get; }

    /// <summary>The frame type; only meaningful when <see cref="Status"/> is <see cref="DecodeStatus.Frame"/>.</summary>
    public FrameType FrameType => (FrameType)Math.Clamp(TypeTag, 0, byte.MaxValue);

    /// <summary>The error when <see cref="Status"/> is <see cref="DecodeStatus.Malformed"/>, else default.</summary>
    public FrameError Error { get; }

    /// <summary>The byte offset in the stream where the frame started, or -1 for a lone payload or datagram.</summary>
    public long StreamOffset { get; }

    /// <summary>True when a frame of a known type was decoded.</summary>
    public bool IsFrame => Status == DecodeStatus.Frame;

    /// <summary>The decoded Hello frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Hello frame.</exception>
    public HelloFrame Hello => Get<HelloFrame>(FrameType.Hello);

    /// <summary>The decoded Prediction frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Prediction frame.</exception>
    public PredictionFrame Prediction => Get<PredictionFrame>(FrameType.Prediction);

    /// <summary>The decoded Alarm frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not an Alarm frame.</exception>
    public AlarmFrame Alarm => Get<AlarmFrame>(FrameType.Alarm);

    /// <summary>The decoded Health frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Health frame.</exception>
    public HealthFrame Health => Get<HealthFrame>(FrameType.Health);

    /// <summary>The decoded Ack frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not an Ack frame.</exception>
    public AckFrame Ack
    {
        get
        {
            EnsureFrame(FrameType.Ack);
            return new AckFrame { HighestSequence = _ackedSequence };
        }
    }

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        DecodeStatus.Frame => $"{FrameType} frame",
        DecodeStatus.UnknownFrameType => $"skipped frame with unknown type tag {TypeTag}",
        _ => Error.ToString(),
    };

    internal static DecodeResult FromFrame<TFrame>(TFrame frame)
        where TFrame : IWireFrame =>
        new(DecodeStatus.Frame, (int)frame.Type, frame, default, -1);

    internal static DecodeResult FromAck(AckFrame ack) =>
        new(DecodeStatus.Frame, (int)FrameType.Ack, null, default, -1, ack.HighestSequence);

    internal static DecodeResult FromUnknownType(int typeTag) =>
        new(DecodeStatus.UnknownFrameType, typeTag, null, default, -1);

    internal static DecodeResult FromError(FrameError error) =>
        new(DecodeStatus.Malformed, error.TypeTag, null, error, -1);

    internal DecodeResult AtStreamOffset(long streamOffset) =>
        new(Status, TypeTag, _frame, Status == DecodeStatus.Malformed ? Error with { StreamOffset = streamOffset } : Error, streamOffset, _ackedSequence);

    private TFrame Get<TFrame>(FrameType expected)
    {
        EnsureFrame(expected);
        return (TFrame)_frame!;
    }

    private void EnsureFrame(FrameType expected)
    {
        if (Status != DecodeStatus.Frame || FrameType != expected)
        {
            throw new InvalidOperationException($"This result is {this}, not a {expected} frame; check FrameType first.");
        }
    }
}
