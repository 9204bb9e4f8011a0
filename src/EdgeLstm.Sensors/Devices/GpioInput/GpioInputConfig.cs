namespace EdgeLstm.Sensors.Devices;

/// <summary>A digital input on a GPIO pin.</summary>
public sealed class GpioInputConfig : DeviceConfig
{
    private static readonly string[] SimulatedInputNames = ["level"];

    /// <summary>Gets the GPIO pin.</summary>
    public required int Pin { get; set; }

    /// <summary>Gets the pull resistor.</summary>
    public PullMode Pull { get; set; } = PullMode.None;

    /// <summary>Gets a value indicating whether a low level reads as 1.</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Gets the single channel.</summary>
    public required IReadOnlyList<ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override bool ReadCanBlock => false; // reads a GPIO level, one ioctl that does not wait on a bus: a reader thread would cost more than it guards

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        check.ClaimPin(Pin, "pin", $"GPIO input '{Name}'");
        if (Channels.Count > 1)
        {
            check.Problem("channels", $"a GPIO input has one channel, found {Channels.Count}.", "Use one gpioInput device per pin.");
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build)
    {
        build.SimulatedGpio?.SetLevelInput(Pin, DeviceBuild.Input(this, "level", 0));
        return new GpioInputDevice(Name, build.Gpio, Pin, DeviceBuild.InputMode(Pull), ActiveLow);
    }
}
