using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest;

/// <summary>The sequence number of each frame kind an ingest stores.</summary>
internal static class FrameSequence
{
    /// <summary>The frame's sequence (a Hello's is <see cref="HelloFrame.Sequence"/>); the frame is a Hello, Prediction, Alarm, Health or Event.</summary>
    public static ulong Of(in DecodeResult frame) => frame.FrameType switch
    {
        FrameType.Hello => frame.Hello.Sequence,
        FrameType.Prediction => frame.Prediction.Sequence,
        FrameType.Alarm => frame.Alarm.Sequence,
        FrameType.Event => frame.Event.Sequence,
        _ => frame.Health.Sequence,
    };

    /// <summary>Whether an ingest stores (and acknowledges) frames of <paramref name="type"/>: everything a board sends.</summary>
    public static bool IsStored(FrameType type) => type is FrameType.Hello or FrameType.Prediction or FrameType.Alarm or FrameType.Health or FrameType.Event;
}
