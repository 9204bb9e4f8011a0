namespace EdgeLstm.Sensors;

/// <summary>
/// Running totals kept by a <see cref="Sampler"/> for health reports. Written by the sampler thread only;
/// other threads may read them (64-bit reads are atomic on the boards we target).
/// </summary>
public sealed class SamplerCounters
{
    internal SamplerCounters(IReadOnlyList<ChannelSpec> channels, IReadOnlyList<SensorDevice> devices)
    {
        Channels = [.. channels.Select(c => new ChannelCounters(c.Name))];
        Devices = [.. devices.Select(d => new DeviceCounters(d.Name))];
    }

    /// <summary>Gets the number of samples produced.</summary>
    public long Samples { get; internal set; }

    /// <summary>Gets the number of cycles whose reads took longer than one period.</summary>
    public long Overruns { get; internal set; }

    /// <summary>Gets the number of scheduled samples skipped because the loop fell behind.</summary>
    public long MissedSamples { get; internal set; }

    /// <summary>Gets the number of degraded samples: at least one channel held or bad (<see cref="SampleFrame.IsDegraded"/>).</summary>
    public long DegradedSamples { get; internal set; }

    /// <summary>Gets per-channel counters, in channel order.</summary>
    public IReadOnlyList<ChannelCounters> Channels { get; }

    /// <summary>Gets per-device counters, in device order.</summary>
    public IReadOnlyList<DeviceCounters> Devices { get; }
}

/// <summary>Counters of one channel.</summary>
/// <param name="name">Channel name.</param>
public sealed class ChannelCounters(string name)
{
    /// <summary>Gets the channel name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the number of samples in which the channel's device read failed (exception or backoff skip).</summary>
    public long ReadErrors { get; internal set; }

    /// <summary>Gets the number of values that were NaN or outside the channel's valid range.</summary>
    public long InvalidValues { get; internal set; }

    /// <summary>Gets the number of samples in which the value was held.</summary>
    public long HeldSamples { get; internal set; }

    /// <summary>Gets the number of samples in which the channel was bad.</summary>
    public long BadSamples { get; internal set; }
}

/// <summary>Counters of one device.</summary>
/// <param name="name">Device name.</param>
public sealed class DeviceCounters(string name)
{
    /// <summary>Gets the device name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the number of reads that threw.</summary>
    public long Failures { get; internal set; }

    /// <summary>Gets the number of samples skipped while backing off from a failing device.</summary>
    public long SkippedByBackoff { get; internal set; }

    /// <summary>Gets the number of times the device read succeeded again after failing.</summary>
    public long Recoveries { get; internal set; }

    /// <summary>Gets the number of consecutive failed reads right now (0 when healthy).</summary>
    public int ConsecutiveFailures { get; internal set; }

    /// <summary>Gets the message of the last failure, or null.</summary>
    public string? LastError { get; internal set; }
}
