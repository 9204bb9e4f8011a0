namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Takes every frame in the stream form and keeps only the count (<c>{ "type": "null" }</c>): for measuring the
/// pipeline without an output's cost, and for boards whose only output is the alarm pin.
/// </summary>
internal sealed class NullSink : FrameSink
{
    private long _frames;
    private long _bytes;

    public override string Name => "null";

    public override FrameForm Form => FrameForm.Stream;

    /// <summary>Frames handed over so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Bytes those frames took in the stream framing.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public override void Write(in OutgoingFrame frame)
    {
        _frames++;
        _bytes += frame.Stream.Length;
    }
}
