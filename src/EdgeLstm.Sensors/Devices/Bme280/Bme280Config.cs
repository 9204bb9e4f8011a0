using System.Device.I2c;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using Iot.Device.Bmxx80;

namespace EdgeLstm.Sensors.Devices;

/// <summary>BME280 temperature/pressure/humidity sensor.</summary>
public sealed class Bme280Config : I2cDeviceConfig
{
    /// <summary>Oversampling factors and the binding's settings.</summary>
    internal static readonly (int Times, Sampling Setting)[] OversamplingSettings =
    [
        (1, Sampling.UltraLowPower), (2, Sampling.LowPower), (4, Sampling.Standard), (8, Sampling.HighResolution), (16, Sampling.UltraHighResolution),
    ];

    private static readonly string[] SimulatedInputNames = ["temperature", "pressure", "humidity"];

    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x76);

    /// <summary>Gets the oversampling: 1, 2, 4, 8 or 16.</summary>
    public int Oversampling { get; set; } = 1;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Bme280ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override I2cAddressRange AddressRange => new(0x76, 0x77, "BME280: 0x76, or 0x77 with SDO high");

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (!OversamplingSettings.Any(o => o.Times == Oversampling))
        {
            check.Problem("oversampling", $"oversampling ×{Oversampling} does not exist.", "Use 1, 2, 4, 8 or 16.");
            return;
        }

        double ms = Bme280Device.MaxMeasurementMilliseconds(Setting);
        if (check.RateHz > 1000 / ms)
        {
            check.Problem("oversampling", $"with oversampling ×{Oversampling} a BME280 measurement takes up to {ConfigText.Num(ms)} ms, so it cannot deliver {ConfigText.Num(check.RateHz)} Hz.",
                $"Lower sampler.rateHz to {ConfigText.Num(Math.Floor(1000 / ms))} or less, or lower the oversampling.");
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build) =>
        new Bme280Device(Name, build.OpenI2c(this), [.. Channels.Select(c => c.Quantity)], Setting);

    /// <inheritdoc />
    internal override SimulatedI2cDevice CreateSimulatedChip(I2cConnectionSettings settings, DeviceBuild build) =>
        new SimulatedBme280(settings, build.Clock, DeviceBuild.Input(this, "temperature", 20), DeviceBuild.Input(this, "pressure", 101_325), DeviceBuild.Input(this, "humidity", 50));

    private Sampling Setting => OversamplingSettings.First(o => o.Times == Oversampling).Setting;
}

/// <summary>A BME280 channel.</summary>
public sealed class Bme280ChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required Bme280Quantity Quantity { get; set; }
}
