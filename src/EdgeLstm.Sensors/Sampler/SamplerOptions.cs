namespace EdgeLstm.Sensors;

/// <summary>Rate and bad-read policy of a <see cref="Sampler"/>.</summary>
public sealed class SamplerOptions
{
    /// <summary>Gets the sample rate in Hz.</summary>
    public required double RateHz { get; init; }

    /// <summary>Gets how many consecutive failed samples a channel's last good value is held for before the channel
    /// turns <see cref="SampleStatus.Bad"/>.</summary>
    public int HoldLimit { get; init; } = 5;

    /// <summary>Gets the longest backoff, in samples, between retries of a failing device.</summary>
    public int MaxBackoffSamples { get; init; } = 64;

    /// <summary>Gets the period in nanoseconds.</summary>
    public long PeriodNanoseconds => (long)Math.Round(1e9 / RateHz);

    /// <summary>Throws if a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(RateHz > 0 && RateHz <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(RateHz), RateHz, "The sample rate must be > 0 and ≤ 100000 Hz.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(HoldLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBackoffSamples);
    }
}
