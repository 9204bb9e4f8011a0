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

    /// <summary>
    /// Gets how long the sampler waits for one read of a device that can block (<see cref="SamplerSource.ReadCanBlock"/>);
    /// null takes <see cref="DefaultReadDeadline"/>. A read past it is abandoned for that sample.
    /// </summary>
    public TimeSpan? ReadDeadline { get; init; }

    /// <summary>Gets the read deadline in use: <see cref="ReadDeadline"/>, or one sample period clamped to 50 ms – 1 s.</summary>
    /// <remarks>A read slower than a period already costs samples. The floor keeps scheduling delay on a loaded board (a
    /// wake-up of the reader thread) from counting as a stuck bus at high rates; the ceiling keeps a stuck bus at a slow
    /// rate from stalling the other channels for more than a second, once.</remarks>
    public TimeSpan EffectiveReadDeadline => ReadDeadline ?? DefaultReadDeadline(RateHz);

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

        if (ReadDeadline is { } deadline && !(deadline > TimeSpan.Zero && deadline <= MaxReadDeadline))
        {
            throw new ArgumentOutOfRangeException(nameof(ReadDeadline), deadline, "The read deadline must be > 0 and ≤ 60 s.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(HoldLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBackoffSamples);
    }

    /// <summary>Gets the longest read deadline accepted.</summary>
    public static TimeSpan MaxReadDeadline { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The default read deadline at a sample rate: one period, at least 50 ms and at most 1 s.</summary>
    /// <param name="rateHz">The sample rate.</param>
    /// <returns>The deadline.</returns>
    public static TimeSpan DefaultReadDeadline(double rateHz) =>
        TimeSpan.FromMilliseconds(Math.Clamp(1000 / rateHz, 50, 1000));
}
