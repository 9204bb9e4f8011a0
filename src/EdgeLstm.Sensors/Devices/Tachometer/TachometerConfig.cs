using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;

namespace EdgeLstm.Sensors.Devices;

/// <summary>A tachometer on a GPIO input.</summary>
public sealed class TachometerConfig : DeviceConfig
{
    private static readonly string[] SimulatedInputNames = ["frequency"];

    /// <summary>The longest averaging window (a minute at 1 kHz).</summary>
    public const int MaxAveragingSamples = 60_000;

    /// <summary>Gets the GPIO pin.</summary>
    public required int Pin { get; set; }

    /// <summary>Gets the pull resistor.</summary>
    public PullMode Pull { get; set; } = PullMode.None;

    /// <summary>Gets the pulses per revolution.</summary>
    public double PulsesPerRevolution { get; set; } = 1;

    /// <summary>Gets the number of samples the rate is averaged over.</summary>
    public int AveragingSamples { get; set; } = 10;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<TachometerChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override bool ReadCanBlock => false; // counts edges the GPIO driver already delivered: a reader thread would cost more than it guards

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        check.ClaimPin(Pin, "pin", $"tachometer '{Name}'");
        if (!(PulsesPerRevolution > 0))
        {
            check.Problem("pulsesPerRevolution", "pulses per revolution must be positive.", "Count the magnets or slots on the shaft, e.g. 1 or 2.");
        }

        if (AveragingSamples is < 1 or > MaxAveragingSamples)
        {
            check.Problem("averagingSamples", $"averagingSamples {AveragingSamples} is outside 1–{MaxAveragingSamples}.", "Average over about one second of samples for slow shafts.");
        }

        if (Simulation?.Inputs?.TryGetValue("frequency", out SignalConfig? frequency) == true && !(Math.Abs(frequency.Offset) <= SimulatedGpioDriver.MaxPulseHz))
        {
            check.Problem("simulation.inputs.frequency.offset", $"a simulated pulse rate of {ConfigText.Num(frequency.Offset)} Hz is beyond the simulation's {ConfigText.Num(SimulatedGpioDriver.MaxPulseHz)} Hz.",
                "Give the shaft's pulse rate: rpm × pulses per revolution / 60, e.g. 49 Hz.");
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build)
    {
        build.SimulatedGpio?.SetPulseInput(Pin, DeviceBuild.Input(this, "frequency", 0));
        return new TachometerDevice(Name, build.Gpio, build.Clock, Pin, DeviceBuild.InputMode(Pull), PulsesPerRevolution, [.. Channels.Select(c => c.Quantity)], AveragingSamples);
    }
}

/// <summary>A tachometer channel.</summary>
public sealed class TachometerChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required TachometerQuantity Quantity { get; set; }
}
