using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A sensor device of the board config; the JSON <c>type</c> key selects the kind. Each kind lives in its own folder
/// under <c>Devices/</c> — its config, datasheet limits, driver wrapper and simulated chip together — and is
/// registered by the one <see cref="JsonDerivedTypeAttribute"/> line below (and its part of board.schema.json).
/// </summary>
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

    /// <summary>Gets the names of the physical inputs a simulation may drive (<c>simulation.inputs</c> keys).</summary>
    internal abstract IReadOnlyList<string> SimulatedInputs { get; }

    /// <summary>Gets a value indicating whether the device reads hardware on a board that is not simulated (a replay does not).</summary>
    internal virtual bool ReadsHardware => true;

    /// <summary>Gets a value indicating whether a read can block (a bus transfer): the sampler then reads the device on its own
    /// thread under the read deadline. GPIO levels and replays cannot block and are read directly.</summary>
    internal virtual bool ReadCanBlock => ReadsHardware;

    /// <summary>Gets the SPI bus the device uses, if it is an SPI device (its pins are reserved on a Raspberry Pi).</summary>
    internal virtual int? SpiBusInUse => null;

    /// <summary>Checks the settings against what the chip offers and the sample rate it can deliver.</summary>
    /// <param name="check">Collects problems under this device's JSON path.</param>
    internal abstract void Validate(DeviceCheck check);

    /// <summary>Builds the device: its driver over the real bus, or over the simulated chip on a simulated board.</summary>
    /// <param name="build">Buses, GPIO, clock and simulated inputs of the board being built.</param>
    /// <returns>The device.</returns>
    internal abstract SensorDevice Create(DeviceBuild build);
}

/// <summary>A device on an I2C bus.</summary>
public abstract class I2cDeviceConfig : DeviceConfig
{
    /// <summary>Gets the I2C bus number (/dev/i2c-N).</summary>
    public int Bus { get; set; } = 1;

    /// <summary>Gets the 7-bit address, as a number or a "0x48" string.</summary>
    public abstract I2cAddress Address { get; set; }

    /// <summary>Gets the addresses the chip can be strapped to, and how (datasheet).</summary>
    internal abstract I2cAddressRange AddressRange { get; }

    /// <summary>Creates the register-level simulated chip that stands in for the real one on a simulated board.</summary>
    /// <param name="settings">Bus and address.</param>
    /// <param name="build">The clock and simulated inputs of the board being built.</param>
    /// <returns>The simulated chip.</returns>
    internal abstract Simulation.SimulatedI2cDevice CreateSimulatedChip(System.Device.I2c.I2cConnectionSettings settings, DeviceBuild build);
}

/// <summary>The addresses an I2C chip can be strapped to.</summary>
/// <param name="First">The lowest address.</param>
/// <param name="Last">The highest address.</param>
/// <param name="Note">How the address is chosen, e.g. "ADS1115: 0x48–0x4B, set by the ADDR pin".</param>
internal readonly record struct I2cAddressRange(int First, int Last, string Note);

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

/// <summary>Pull resistor for a GPIO input.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<PullMode>))]
public enum PullMode
{
    /// <summary>No pull resistor.</summary>
    None,

    /// <summary>Pull-up.</summary>
    Up,

    /// <summary>Pull-down.</summary>
    Down,
}
