using System.Device.Spi;
using EdgeLstm.Sensors.Configuration;
using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Devices;

/// <summary>MCP3008 10-bit SPI ADC.</summary>
public sealed class Mcp3008Config : DeviceConfig
{
    /// <summary>SPI clocks per conversion with the bindings' 3-byte transfer.</summary>
    internal const int ClocksPerConversion = 24;

    private static readonly string[] SimulatedInputNames = ["ch0", "ch1", "ch2", "ch3", "ch4", "ch5", "ch6", "ch7"];

    /// <summary>Gets the SPI bus (/dev/spidevB.C).</summary>
    public int SpiBus { get; set; }

    /// <summary>Gets the chip-select line.</summary>
    public int ChipSelect { get; set; }

    /// <summary>Gets the SPI clock in Hz (the chip allows 1.35 MHz at 2.7 V, 3.6 MHz at 5 V).</summary>
    public int ClockHz { get; set; } = 1_000_000;

    /// <summary>Gets V<sub>REF</sub> in volts.</summary>
    public double ReferenceVolts { get; set; } = 3.3;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Mcp3008ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override int? SpiBusInUse => SpiBus;

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (SpiBus < 0 || ChipSelect < 0)
        {
            check.Problem("spiBus", "SPI bus and chip select must be ≥ 0.", "On a Raspberry Pi, SPI0 with CE0 is spiBus 0, chipSelect 0.");
        }

        if (!(ReferenceVolts > 0 && ReferenceVolts <= 5.5))
        {
            check.Problem("referenceVolts", $"V_REF {ConfigText.Num(ReferenceVolts)} V is outside 0–5.5 V.", "Use the voltage wired to the VREF pin, usually 3.3.");
        }

        double clocks = check.RateHz * Channels.Count * ClocksPerConversion;
        if (ClockHz < 10_000 || ClockHz > 3_600_000)
        {
            check.Problem("clockHz", $"SPI clock {ClockHz} Hz is outside the MCP3008's 10 kHz–3.6 MHz.", "Use 1000000 (1 MHz works from 2.7 V to 5 V).");
        }
        else if (clocks > ClockHz)
        {
            check.Problem("clockHz", $"{Channels.Count} channel(s) at {ConfigText.Num(check.RateHz)} Hz need {ConfigText.Num(clocks)} SPI clocks/s, more than {ClockHz} Hz.", "Raise clockHz or lower sampler.rateHz.");
        }

        for (int j = 0; j < Channels.Count; j++)
        {
            if (Channels[j].Input is < 0 or > 7)
            {
                check.Problem($"channels[{j}].input", $"input {Channels[j].Input} does not exist.", "The MCP3008 has inputs 0–7.");
            }
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build)
    {
        var settings = new SpiConnectionSettings(SpiBus, ChipSelect) { ClockFrequency = ClockHz, Mode = SpiMode.Mode0 };
        SpiDevice spi = build.OpenSpi(this, settings, () =>
        {
            var chip = new SimulatedMcp3008(settings, build.Clock, ReferenceVolts, [.. Enumerable.Range(0, 8).Select(i => DeviceBuild.Input(this, $"ch{i}", 0))]);
            return (chip, chip.Faults);
        });
        return new Mcp3008Device(Name, new Mcp3008(spi), [.. Channels.Select(c => c.Input)], ReferenceVolts);
    }
}

/// <summary>An MCP3008 channel.</summary>
public sealed class Mcp3008ChannelConfig : ChannelConfig
{
    /// <summary>Gets the single-ended input 0–7.</summary>
    public required int Input { get; set; }
}
