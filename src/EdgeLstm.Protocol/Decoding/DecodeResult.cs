namespace EdgeLstm.Protocol;

/// <summary>
/// One decoded frame, an unknown-but-valid frame, or a typed error. Decoders return one of these per frame and
/// never throw on bad input, so a read loop can count errors and carry on.
/// </summary>
/// <remarks>
/// A discriminated struct: it holds the decoded frame in a field of the frame's own type, so no frame is boxed and
/// reading frames that hold no arrays or strings (Alarm, Ack) allocates nothing. Check <see cref="FrameType"/>,
/// then read the matching property.
/// </remarks>
public readonly struct DecodeResult
{
    private DecodeResult(DecodeStatus status, int typeTag)
    {
        Status = status;
        TypeTag = typeTag;
        StreamOffset = -1;
    }

    private DecodeResult(FrameType type)
        : this(DecodeStatus.Frame, (int)type)
    {
    }

    /// <summary>Whether a frame, an unknown frame or an error was found.</summary>
    public DecodeStatus Status { get; }

    /// <summary>The frame's type tag, or -1 when it could not be read.</summary>
    public int TypeTag { get; }

    /// <summary>The frame type; only meaningful when <see cref="Status"/> is <see cref="DecodeStatus.Frame"/>.</summary>
    public FrameType FrameType => (FrameType)Math.Clamp(TypeTag, 0, byte.MaxValue);

    /// <summary>The error when <see cref="Status"/> is <see cref="DecodeStatus.Malformed"/>, else default.</summary>
    public FrameError Error { get; private init; }

    /// <summary>The byte offset in the stream where the frame started, or -1 for a lone payload or datagram.</summary>
    public long StreamOffset { get; private init; }

    /// <summary>True when a frame of a known type was decoded.</summary>
    public bool IsFrame => Status == DecodeStatus.Frame;

    /// <summary>The decoded Hello frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Hello frame.</exception>
    public HelloFrame Hello => Get(FrameType.Hello, HelloValue);

    /// <summary>The decoded Prediction frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Prediction frame.</exception>
    public PredictionFrame Prediction => Get(FrameType.Prediction, PredictionValue);

    /// <summary>The decoded Alarm frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not an Alarm frame.</exception>
    public AlarmFrame Alarm => Get(FrameType.Alarm, AlarmValue);

    /// <summary>The decoded Health frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not a Health frame.</exception>
    public HealthFrame Health => Get(FrameType.Health, HealthValue);

    /// <summary>The decoded Ack frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not an Ack frame.</exception>
    public AckFrame Ack => Get(FrameType.Ack, AckValue);

    /// <summary>The decoded Event frame.</summary>
    /// <exception cref="InvalidOperationException">This result is not an Event frame.</exception>
    public EventFrame Event => Get(FrameType.Event, EventValue);

    // One slot per frame type; only the one named by TypeTag is set.
    private HelloFrame HelloValue { get; init; }

    private PredictionFrame PredictionValue { get; init; }

    private AlarmFrame AlarmValue { get; init; }

    private HealthFrame HealthValue { get; init; }

    private AckFrame AckValue { get; init; }

    private EventFrame EventValue { get; init; }

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        DecodeStatus.Frame => $"{FrameType} frame",
        DecodeStatus.UnknownFrameType => $"skipped frame with unknown type tag {TypeTag}",
        _ => Error.ToString(),
    };

    internal static DecodeResult FromFrame(in HelloFrame frame) => new(FrameType.Hello) { HelloValue = frame };

    internal static DecodeResult FromFrame(in PredictionFrame frame) => new(FrameType.Prediction) { PredictionValue = frame };

    internal static DecodeResult FromFrame(in AlarmFrame frame) => new(FrameType.Alarm) { AlarmValue = frame };

    internal static DecodeResult FromFrame(in HealthFrame frame) => new(FrameType.Health) { HealthValue = frame };

    internal static DecodeResult FromFrame(in AckFrame frame) => new(FrameType.Ack) { AckValue = frame };

    internal static DecodeResult FromFrame(in EventFrame frame) => new(FrameType.Event) { EventValue = frame };

    internal static DecodeResult FromUnknownType(int typeTag) => new(DecodeStatus.UnknownFrameType, typeTag);

    internal static DecodeResult FromError(FrameError error) => new(DecodeStatus.Malformed, error.TypeTag) { Error = error };

    internal DecodeResult AtStreamOffset(long streamOffset) => this with
    {
        StreamOffset = streamOffset,
        Error = Status == DecodeStatus.Malformed ? Error with { StreamOffset = streamOffset } : Error,
    };

    private TFrame Get<TFrame>(FrameType expected, in TFrame frame)
        where TFrame : struct, IWireFrame
    {
        if (Status != DecodeStatus.Frame || FrameType != expected)
        {
            throw new InvalidOperationException($"This result is {this}, not a {expected} frame; check FrameType first.");
        }

        return frame;
    }
}
