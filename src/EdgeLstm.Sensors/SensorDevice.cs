namespace EdgeLstm.Sensors;

/// <summary>
/// One physical (or replayed) source that yields a fixed number of channel values per sample, in the
/// unit of the chip (volts, m/s², °C, …). The sampler applies each channel's scale, offset and range.
/// </summary>
public abstract class SensorDevice : IDisposable
{
    /// <summary>Initialises the device.</summary>
    /// <param name="name">Device name from the board config, used in messages and counters.</param>
    /// <param name="channelCount">How many values each <see cref="Read"/> produces.</param>
    protected SensorDevice(string name, int channelCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        Name = name;
        ChannelCount = channelCount;
    }

    /// <summary>Gets the device name.</summary>
    public string Name { get; }

    /// <summary>Gets how many values each read produces.</summary>
    public int ChannelCount { get; }

    /// <summary>
    /// Gets a value indicating whether the source has nothing more to give (a replay that reached its end). It turns
    /// true in the <see cref="Read"/> that finds nothing left (that read fills NaN): the sampler then ends its input
    /// without a sample and counts that read neither as a read error nor as invalid values.
    /// </summary>
    public virtual bool IsExhausted => false;

    /// <summary>
    /// Reads every channel now. Must not allocate. A channel without a valid reading gets NaN; a device that
    /// cannot be read at all throws (<see cref="IOException"/>, <see cref="TimeoutException"/>, …).
    /// </summary>
    /// <param name="timestampNanoseconds">The sample's time on the board clock (its grid point; the read itself may start a
    /// little later — devices that measure intervals read the clock themselves).</param>
    /// <param name="values">Exactly <see cref="ChannelCount"/> slots to fill.</param>
    public abstract void Read(long timestampNanoseconds, Span<float> values);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the driver and bus.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
