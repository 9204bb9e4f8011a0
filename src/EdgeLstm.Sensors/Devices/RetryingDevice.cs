namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Wraps a device whose driver talks to the chip when constructed (every binding here does). If the chip
/// is absent at start-up, construction is retried from <see cref="Read"/> — under the sampler's backoff —
/// instead of keeping the board from starting. Construction allocates; a healthy device then reads
/// through with no overhead.
/// </summary>
public sealed class RetryingDevice : SensorDevice
{
    private readonly Func<SensorDevice> _create;
    private SensorDevice? _inner;

    /// <summary>Tries to create the device now.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="channelCount">Channels the device will produce.</param>
    /// <param name="create">Creates the device (opens the bus and constructs the binding).</param>
    public RetryingDevice(string name, int channelCount, Func<SensorDevice> create)
        : base(name, channelCount)
    {
        _create = create ?? throw new ArgumentNullException(nameof(create));
        try
        {
            _inner = Create();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Drivers fail in many ways (IOException, GpiodException, UnauthorizedAccessException, …): all mean "not now".
            StartupError = $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Gets why the device could not be created at start-up, or null if it could.</summary>
    public string? StartupError { get; }

    /// <summary>Gets a value indicating whether the device has been created.</summary>
    public bool IsCreated => _inner is not null;

    /// <summary>Gets the wrapped device, once created.</summary>
    public SensorDevice? Inner => _inner;

    /// <inheritdoc />
    public override bool IsExhausted => _inner?.IsExhausted ?? false;

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        _inner ??= Create(); // throws while the chip is still absent: the sampler counts it and backs off
        _inner.Read(timestampNanoseconds, values);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }

        base.Dispose(disposing);
    }

    private SensorDevice Create()
    {
        SensorDevice device = _create();
        if (device.ChannelCount != ChannelCount)
        {
            device.Dispose();
            throw new InvalidOperationException($"Device '{Name}' was created with {device.ChannelCount} channels, expected {ChannelCount}.");
        }

        return device;
    }
}
