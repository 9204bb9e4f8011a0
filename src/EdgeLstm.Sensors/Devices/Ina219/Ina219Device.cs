using System.Buffers.Binary;
using System.Device.I2c;
using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;
using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Devices;

/// <summary>The quantities an INA219 reports.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Ina219Quantity>))]
public enum Ina219Quantity
{
    /// <summary>Current through the shunt in A (from the chip's calibrated current register).</summary>
    Current,

    /// <summary>Bus voltage in V.</summary>
    BusVoltage,

    /// <summary>Voltage across the shunt in V.</summary>
    ShuntVoltage,

    /// <summary>Power in W (from the chip's power register).</summary>
    Power,
}

/// <summary>
/// An INA219 configured by the bindings' <see cref="Ina219"/> (reset, ranges, calibration) and read raw,
/// one register per quantity, because every binding read method returns a UnitsNet quantity (about 6 MB
/// more AOT binary, see docs/sensors.md). Scaling follows the datasheet (SBOS448G §8.5.1): current LSB =
/// max current / 32768, calibration = trunc(0.04096 / (current LSB · R<sub>shunt</sub>)).
/// </summary>
public sealed class Ina219Device : SensorDevice
{
    private readonly Ina219 _binding;
    private readonly I2cDevice _bus;
    private readonly Ina219Quantity[] _quantities;
    private readonly double _currentLsb;
    private readonly ushort _calibration;
    private readonly bool _needsCalibration;

    /// <summary>Configures the chip.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="bus">The I2C device; owned and disposed by this device.</param>
    /// <param name="quantities">One quantity per channel, in channel order.</param>
    /// <param name="shuntOhms">Shunt resistance.</param>
    /// <param name="maxCurrentAmperes">Largest expected current; sets the current LSB.</param>
    /// <param name="busRange">Bus voltage range.</param>
    /// <param name="pga">Shunt voltage range.</param>
    public Ina219Device(string name, I2cDevice bus, IReadOnlyList<Ina219Quantity> quantities, double shuntOhms, double maxCurrentAmperes,
        Ina219BusVoltageRange busRange = Ina219BusVoltageRange.Range32v, Ina219PgaSensitivity pga = Ina219PgaSensitivity.PlusOrMinus320mv)
        : base(name, quantities?.Count ?? 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shuntOhms);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCurrentAmperes);
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _quantities = [.. quantities!];
        _currentLsb = maxCurrentAmperes / 32768.0;
        ushort calibration = CalibrationValue(shuntOhms, maxCurrentAmperes);
        _calibration = calibration;
        _needsCalibration = _quantities.Contains(Ina219Quantity.Current) || _quantities.Contains(Ina219Quantity.Power);

        _binding = new Ina219(bus);
        _binding.Reset();
        _binding.BusVoltageRange = busRange;
        _binding.PgaSensitivity = pga;
        _binding.BusAdcResolutionOrSamples = Ina219AdcResolutionOrSamples.Adc12Bit;
        _binding.ShuntAdcResolutionOrSamples = Ina219AdcResolutionOrSamples.Adc12Bit;
        _binding.OperatingMode = Ina219OperatingMode.ShuntAndBusContinuous;
        _binding.SetCalibration(calibration, (float)_currentLsb);
    }


    /// <summary>Computes the calibration register value (datasheet Eq. 1–2).</summary>
    /// <param name="shuntOhms">Shunt resistance.</param>
    /// <param name="maxCurrentAmperes">Largest expected current.</param>
    /// <returns>The register value (bit 0 clear).</returns>
    public static ushort CalibrationValue(double shuntOhms, double maxCurrentAmperes)
    {
        double value = Math.Truncate(0.04096 / (maxCurrentAmperes / 32768.0 * shuntOhms));
        return (ushort)((int)Math.Clamp(value, 2, 0xFFFE) & 0xFFFE);
    }

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        if (_needsCalibration)
        {
            // A reset (brown-out) clears the calibration register and with it current and power; rewriting it
            // each sample costs one 3-byte write, as the binding's own ReadCurrent does.
            Span<byte> write = [(byte)Ina219Register.Calibration, 0, 0];
            BinaryPrimitives.WriteUInt16BigEndian(write[1..], _calibration);
            _bus.Write(write);
        }

        for (int i = 0; i < _quantities.Length; i++)
        {
            values[i] = _quantities[i] switch
            {
                Ina219Quantity.Current => (float)(ReadSigned(Ina219Register.Current) * _currentLsb),
                Ina219Quantity.ShuntVoltage => (float)(ReadSigned(Ina219Register.ShuntVoltage) * 10e-6),
                Ina219Quantity.BusVoltage => (float)((ReadUnsigned(Ina219Register.BusVoltage) >> 3) * 0.004),
                _ => (float)(ReadUnsigned(Ina219Register.Power) * 20 * _currentLsb),
            };
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _binding.Dispose();
            _bus.Dispose(); // the binding does not dispose a device it was given
        }

        base.Dispose(disposing);
    }

    private short ReadSigned(Ina219Register register) => (short)ReadUnsigned(register);

    private ushort ReadUnsigned(Ina219Register register)
    {
        Span<byte> word = stackalloc byte[2];
        _bus.WriteRead([(byte)register], word);
        return BinaryPrimitives.ReadUInt16BigEndian(word);
    }
}
