using System.Text.Json.Serialization;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>A sensor device; the JSON <c>type</c> key selects the kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Ads1115Config), "ads1115")]
[JsonDerivedType(typeof(Mcp3008Config), "mcp3008")]
[JsonDerivedType(typeof(Mpu6050Config), "mpu6050")]
[JsonDerivedType(typeof(Bme280Config), "bme280")]
[JsonDerivedType(typeof(Ina219Config), "ina219")]
[JsonDerivedType(typeof(TachometerConfig), "tachometer")]
[JsonDerivedType(typeof(GpioInputConfig), "gpioInput")]
[JsonDerivedType(typeof(ReplayConfig), "replay")]
public abstract class DeviceConfig
{
    /// <summary>Gets the device name, unique on the board.</summary>
    public required string Name { get; set; }

    /// <summary>Gets the simulated inputs and bus faults used when the board is simulated.</summary>
    public SimulationConfig? Simulation { get; set; }

    /// <summary>Gets the channels whatever their kind, for uniform validation.</summary>
    /// <returns>The channels.</returns>
    public abstract IReadOnlyList<ChannelConfig> GetChannels();
}

/// <summary>A device on an I2C bus.</summary>
public abstract class I2cDeviceConfig : DeviceConfig
{
    /// <summary>Gets the I2C bus number (/dev/i2c-N).</summary>
    public int Bus { get; set; } = 1;

    /// <summary>Gets the 7-bit address, as a number or a "0x48" string.</summary>
    public abstract I2cAddress Address { get; set; }
}

/// <summary>What every channel has: a name and how to scale and range-check it.</summary>
public class ChannelConfig
{
    /// <summary>Gets the channel name, unique on the board.</summary>
    public required string Name { get; set; }

    /// <summary>Gets the unit of the scaled value.</summary>
    public string? Unit { get; set; }

    /// <summary>Gets the multiplier applied to the device value.</summary>
    public double Scale { get; set; } = 1;

    /// <summary>Gets the offset added after scaling.</summary>
    public double Offset { get; set; }

    /// <summary>Gets the smallest valid scaled value.</summary>
    public double? Min { get; set; }

    /// <summary>Gets the largest valid scaled value.</summary>
    public double? Max { get; set; }
}

/// <summary>ADS1115 16-bit ADC.</summary>
public sealed class Ads1115Config : I2cDeviceConfig
{
    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x48);

    /// <summary>Gets the full-scale range in volts: 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256.</summary>
    public double FullScaleVolts { get; set; } = 4.096;

    /// <summary>Gets the conversion rate in samples per second: 8, 16, 32, 64, 128, 250, 475 or 860.</summary>
    public int DataRate { get; set; } = 860;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Ads1115ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>An ADS1115 channel.</summary>
public sealed class Ads1115ChannelConfig : ChannelConfig
{
    /// <summary>Gets the input: AIN0…AIN3 against GND, or AIN0-AIN1, AIN0-AIN3, AIN1-AIN3, AIN2-AIN3.</summary>
    public required string Input { get; set; }
}

/// <summary>MCP3008 10-bit SPI ADC.</summary>
public sealed class Mcp3008Config : DeviceConfig
{
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
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>An MCP3008 channel.</summary>
public sealed class Mcp3008ChannelConfig : ChannelConfig
{
    /// <summary>Gets the single-ended input 0–7.</summary>
    public required int Input { get; set; }
}

/// <summary>MPU-6050 accelerometer used for vibration features.</summary>
public sealed class Mpu6050Config : I2cDeviceConfig
{
    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x68);

    /// <summary>Gets the accelerometer range in g: 2, 4, 8 or 16.</summary>
    public int AccelerometerRangeG { get; set; } = 4;

    /// <summary>Gets the accelerometer reads per sample (the sub-window).</summary>
    public int Window { get; set; } = 16;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Mpu6050ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>A vibration channel.</summary>
public sealed class Mpu6050ChannelConfig : ChannelConfig
{
    /// <summary>Gets the axis.</summary>
    public required Devices.VibrationAxis Axis { get; set; }

    /// <summary>Gets the statistic.</summary>
    public required Devices.VibrationStatistic Statistic { get; set; }
}

/// <summary>BME280 temperature/pressure/humidity sensor.</summary>
public sealed class Bme280Config : I2cDeviceConfig
{
    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x76);

    /// <summary>Gets the oversampling: 1, 2, 4, 8 or 16.</summary>
    public int Oversampling { get; set; } = 1;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Bme280ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>A BME280 channel.</summary>
public sealed class Bme280ChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required Devices.Bme280Quantity Quantity { get; set; }
}

/// <summary>INA219 current/voltage/power monitor.</summary>
public sealed class Ina219Config : I2cDeviceConfig
{
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
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>An INA219 channel.</summary>
public sealed class Ina219ChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required Devices.Ina219Quantity Quantity { get; set; }
}

/// <summary>Pull resistor for a GPIO input.</summary>
public enum PullMode
{
    /// <summary>No pull resistor.</summary>
    None,

    /// <summary>Pull-up.</summary>
    Up,

    /// <summary>Pull-down.</summary>
    Down,
}

/// <summary>A tachometer on a GPIO input.</summary>
public sealed class TachometerConfig : DeviceConfig
{
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
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>A tachometer channel.</summary>
public sealed class TachometerChannelConfig : ChannelConfig
{
    /// <summary>Gets the quantity.</summary>
    public required Devices.TachometerQuantity Quantity { get; set; }
}

/// <summary>A digital input on a GPIO pin.</summary>
public sealed class GpioInputConfig : DeviceConfig
{
    /// <summary>Gets the GPIO pin.</summary>
    public required int Pin { get; set; }

    /// <summary>Gets the pull resistor.</summary>
    public PullMode Pull { get; set; } = PullMode.None;

    /// <summary>Gets a value indicating whether a low level reads as 1.</summary>
    public bool ActiveLow { get; set; }

    /// <summary>Gets the single channel.</summary>
    public required IReadOnlyList<ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>A CSV recording replayed as channels.</summary>
public sealed class ReplayConfig : DeviceConfig
{
    /// <summary>Gets the CSV file, relative to the config file.</summary>
    public required string File { get; set; }

    /// <summary>Gets the time column; the first column if omitted.</summary>
    public string? TimeColumn { get; set; }

    /// <summary>Gets how rows are matched to samples.</summary>
    public Replay.ReplayTiming Timing { get; set; } = Replay.ReplayTiming.Recorded;

    /// <summary>Gets the playback speed (recorded timing).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Gets a value indicating whether to start over at the end.</summary>
    public bool Loop { get; set; }

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<ReplayChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;
}

/// <summary>A replayed channel.</summary>
public sealed class ReplayChannelConfig : ChannelConfig
{
    /// <summary>Gets the CSV column; the channel name if omitted.</summary>
    public string? Column { get; set; }
}
