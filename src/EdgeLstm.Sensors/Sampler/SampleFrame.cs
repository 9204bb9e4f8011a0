namespace EdgeLstm.Sensors;

/// <summary>
/// One sample of every channel, owned and overwritten in place by the <see cref="Sampler"/> each period:
/// copy what you need before the next sample. Channel order is <see cref="Sampler.Channels"/>.
/// </summary>
public sealed class SampleFrame
{
    private readonly float[] _values;
    private readonly SampleStatus[] _statuses;

    internal SampleFrame(int channelCount)
    {
        _values = new float[channelCount];
        _statuses = new SampleStatus[channelCount];
        _statuses.AsSpan().Fill(SampleStatus.Bad);
    }

    /// <summary>Gets the sample number, counting from 0.</summary>
    public long Sequence { get; internal set; }

    /// <summary>Gets the sample's time on the board clock (ns): the grid point <c>t0 + k·period</c> it was scheduled for,
    /// so consecutive samples are exactly one period apart unless samples were missed.</summary>
    public long TimestampNanoseconds { get; internal set; }

    /// <summary>Gets when the reads actually began (board clock, ns); minus <see cref="TimestampNanoseconds"/> it is the
    /// scheduling jitter.</summary>
    public long ReadStartedNanoseconds { get; internal set; }

    /// <summary>Gets how many scheduled samples were skipped just before this one because the loop fell behind.</summary>
    public long MissedBefore { get; internal set; }

    /// <summary>Gets the channel values (scaled).</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Gets the per-channel status.</summary>
    public ReadOnlySpan<SampleStatus> Statuses => _statuses;

    /// <summary>Gets the number of channels whose value is held.</summary>
    public int HeldCount { get; internal set; }

    /// <summary>Gets the number of channels without a usable value.</summary>
    public int BadCount { get; internal set; }

    /// <summary>Gets a value indicating whether the sample is degraded: some channel is not a fresh reading (it is
    /// <see cref="SampleStatus.Held"/> or <see cref="SampleStatus.Bad"/>). The one meaning of "degraded" everywhere
    /// (docs/sensors.md): predictions made from such a sample carry the Prediction frame's degraded flag.</summary>
    public bool IsDegraded => HeldCount > 0 || BadCount > 0;

    internal Span<float> MutableValues => _values;

    internal Span<SampleStatus> MutableStatuses => _statuses;

    /// <summary>Copies the values into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least as long as <see cref="Values"/>.</param>
    public void CopyValuesTo(Span<float> destination) => _values.CopyTo(destination);
}
