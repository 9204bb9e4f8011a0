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

    /// <summary>Gets the sum of every channel's <see cref="ChannelCounters.Timeouts"/> (for a Health total).</summary>
    public long ChannelTimeouts
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < Channels.Count; i++)
            {
                sum += Channels[i].Timeouts; // by index: a foreach over the interface would allocate an enumerator
            }

            return sum;
        }
    }

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

    /// <summary>Gets the number of samples in which the channel's device read failed (exception, backoff skip, or a read past
    /// its deadline: <see cref="Timeouts"/> are included).</summary>
    public long ReadErrors { get; internal set; }

    /// <summary>
    /// Gets the number of samples in which the channel had no value because its device's read was past its deadline:
    /// the sample whose read was abandoned, and each sample after it while that read was still blocked (the device is
    /// skipped until the read returns). Counted in <see cref="ReadErrors"/> as well.
    /// </summary>
    public long Timeouts { get; internal set; }

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

    /// <summary>Gets the number of reads abandoned at their deadline (the read went on, on the device's reader thread).</summary>
    public long Timeouts { get; internal set; }

    /// <summary>Gets the number of samples that skipped the device because an abandoned read of it had not returned yet.</summary>
    public long SkippedWhileBusy { get; internal set; }

    /// <summary>Gets the number of samples skipped while backing off from a failing device.</summary>
    public long SkippedByBackoff { get; internal set; }

    /// <summary>Gets the number of times the device read succeeded again after failing.</summary>
    public long Recoveries { get; internal set; }

    /// <summary>Gets the number of consecutive failed reads (thrown or past their deadline) right now (0 when healthy).</summary>
    public int ConsecutiveFailures { get; internal set; }

    /// <summary>Gets the message of the last failure, or null.</summary>
    public string? LastError { get; internal set; }
}
