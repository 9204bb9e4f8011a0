using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Ingest;

/// <summary>The sequence number of each frame kind an ingest stores.</summary>
internal static class FrameSequence
{
    /// <summary>The frame's sequence (a Hello's is <see cref="HelloFrame.Sequence"/>); the frame is a Hello, Prediction, Alarm or Health.</summary>
    public static ulong Of(in DecodeResult frame) => frame.FrameType switch
    {
        FrameType.Hello => frame.Hello.Sequence,
        FrameType.Prediction => frame.Prediction.Sequence,
        FrameType.Alarm => frame.Alarm.Sequence,
        _ => frame.Health.Sequence,
    };
}
