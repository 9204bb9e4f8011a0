using System.Device.I2c;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Devices;

/// <summary>INA219 current/voltage/power monitor.</summary>
public sealed class Ina219Config : I2cDeviceConfig
{
    /// <summary>12-bit conversion time, µs (SBOS448G Table 5); bus and shunt convert in turn.</summary>
    internal const double ConversionMicroseconds = 532;

    /// <summary>Bus voltage ranges in volts and the binding's settings.</summary>
    internal static readonly (int Volts, Ina219BusVoltageRange Range)[] BusRanges = [(16, Ina219BusVoltageRange.Range16v), (32, Ina219BusVoltageRange.Range32v)];

    /// <summary>Shunt voltage ranges in millivolts and the binding's gain settings.</summary>
    internal static readonly (int Millivolts, Ina219PgaSensitivity Gain)[] ShuntRanges =
    [
        (40, Ina219PgaSensitivity.PlusOrMinus40mv), (80, Ina219PgaSensitivity.PlusOrMinus80mv),
        (160, Ina219PgaSensitivity.PlusOrMinus160mv), (320, Ina219PgaSensitivity.PlusOrMinus320mv),
    ];

    private static readonly string[] SimulatedInputNames = ["current", "busVoltage"];

    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x40);

    /// <summary>Gets the shunt resistance in ohms.</summary>
    public double ShuntOhms { get; set; } = 0.1;

    /// <summary>Gets the largest expected current in A (sets the current resolution).</summary>
    public double MaxCurrentAmperes { get; set; } = 3.2;

    /// <summary>Gets the bus voltage range in volts: 16 or 32.</summary>
    public int BusVoltageRange { get; set; } = 32;

    /// <summary>Gets the shunt voltage range in millivolts: 40, 80, 160 or 320.</summary>
    public int ShuntRangeMillivolts { get; set; } = 320;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Ina219ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override I2cAddressRange AddressRange => new(0x40, 0x4F, "INA219: 0x40–0x4F, set by A0/A1");

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (!(ShuntOhms > 0))
        {
            check.Problem("shuntOhms", "the shunt resistance must be positive.", "Use the resistor on your board, e.g. 0.1.");
        }

        if (!(MaxCurrentAmperes > 0))
        {
            check.Problem("maxCurrentAmperes", "the maximum current must be positive.", "Use the largest current you expect, e.g. 3.2.");
        }

        if (!BusRanges.Any(r => r.Volts == BusVoltageRange))
        {
            check.Problem("busVoltageRange", $"{BusVoltageRange} V is not an INA219 bus range.", "Use 16 or 32.");
        }

        double shuntMillivolts = MaxCurrentAmperes * ShuntOhms * 1000;
        if (!ShuntRanges.Any(r => r.Millivolts == ShuntRangeMillivolts))
        {
            check.Problem("shuntRangeMillivolts", $"±{ShuntRangeMillivolts} mV is not an INA219 shunt range.", "Use 40, 80, 160 or 320.");
        }
        else if (ShuntOhms > 0 && shuntMillivolts > ShuntRangeMillivolts * (1 + 1e-9))
        {
            check.Problem("shuntRangeMillivolts", $"{ConfigText.Num(MaxCurrentAmperes)} A through {ConfigText.Num(ShuntOhms)} Ω is {ConfigText.Num(shuntMillivolts)} mV, beyond ±{ShuntRangeMillivolts} mV: readings would saturate.",
                "Use a larger shunt range, a smaller shunt or a lower maxCurrentAmperes.");
        }

        double maxRate = 1e6 / (2 * ConversionMicroseconds);
        if (check.RateHz > maxRate)
        {
            check.Problem("$.sampler.rateHz", $"the INA219 '{Name}' converts bus and shunt in {ConfigText.Num(2 * ConversionMicroseconds)} µs, so it cannot deliver {ConfigText.Num(check.RateHz)} Hz.", $"Lower sampler.rateHz to {ConfigText.Num(Math.Floor(maxRate))} or less.");
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build) =>
        new Ina219Device(Name, build.OpenI2c(this), [.. Channels.Select(c => c.Quantity)], ShuntOhms, MaxCurrentAmperes,
            BusRanges.First(r => r.Volts == BusVoltageRange).Range, ShuntRanges.First(r => r.Millivolts == ShuntRangeMillivolts).Gain);

    /// <inheritdoc />
    internal override SimulatedI2cDevice CreateSimulatedChip(I2cConnectionSettings settings, DeviceBuild build) =>
        new SimulatedIna219(settings, build.Clock, ShuntOhms, DeviceBuild.Input(this, "current", 0), DeviceBuild.Input(this, "busVoltage", 12));
}

/// <summary>An INA219 channel.</summary>
public sealed class Ina219ChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required Ina219Quantity Quantity { get; set; }
}
