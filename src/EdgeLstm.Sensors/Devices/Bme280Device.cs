using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;
using Oversampling = Iot.Device.Bmxx80.Sampling;

namespace EdgeLstm.Sensors.Devices;

/// <summary>The quantities a BME280 measures.</summary>
public enum Bme280Quantity
{
    /// <summary>Temperature in °C.</summary>
    Temperature,

    /// <summary>Pressure in Pa.</summary>
    Pressure,

    /// <summary>Relative humidity in %.</summary>
    Humidity,
}

/// <summary>
/// A BME280 set up by the bindings' <see cref="Bme280"/> (chip-id check, oversampling, normal mode) and read
/// raw: one 8-byte burst from 0xF7 per sample, compensated by <see cref="Bme280Calibration"/>. The binding's
/// own read methods return UnitsNet quantities (about 6 MB more AOT binary, see docs/sensors.md).
/// In normal mode the chip measures continuously, so a read never waits for a conversion.
/// </summary>
public sealed class Bme280Device : SensorDevice
{
    private const byte DataStart = 0xF7;
    private readonly Bme280 _binding;
    private readonly I2cDevice _bus;
    private readonly Bme280Quantity[] _quantities;
    private readonly Bme280Calibration _calibration;

    /// <summary>Sets up the chip and reads its trimming parameters.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="bus">The I2C device; owned and disposed by this device.</param>
    /// <param name="quantities">One quantity per channel, in channel order.</param>
    /// <param name="oversampling">Oversampling for every enabled measurement.</param>
    public Bme280Device(string name, I2cDevice bus, IReadOnlyList<Bme280Quantity> quantities, Oversampling oversampling = Oversampling.UltraLowPower)
        : base(name, quantities?.Count ?? 0)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _quantities = [.. quantities!];
        _binding = new Bme280(bus)
        {
            TemperatureSampling = oversampling,
            PressureSampling = _quantities.Contains(Bme280Quantity.Pressure) ? oversampling : Oversampling.Skipped,
            HumiditySampling = _quantities.Contains(Bme280Quantity.Humidity) ? oversampling : Oversampling.Skipped,
            StandbyTime = StandbyTime.Ms0_5,
        };
        _binding.SetPowerMode(Bmx280PowerMode.Normal);

        Span<byte> block1 = stackalloc byte[26];
        Span<byte> block2 = stackalloc byte[7];
        bus.WriteRead([0x88], block1);
        bus.WriteRead([0xE1], block2);
        _calibration = Bme280Calibration.Parse(block1, block2);
    }

    /// <summary>Gets the worst-case measurement time in ms for one oversampling setting on all three
    /// quantities (datasheet §9.1: 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575)).</summary>
    /// <param name="oversampling">The oversampling.</param>
    /// <returns>Milliseconds.</returns>
    public static double MaxMeasurementMilliseconds(Oversampling oversampling)
    {
        int n = oversampling switch
        {
            Oversampling.Skipped => 0,
            Oversampling.UltraLowPower => 1,
            Oversampling.LowPower => 2,
            Oversampling.Standard => 4,
            Oversampling.HighResolution => 8,
            _ => 16,
        };
        return 1.25 + 2.3 * n + (2.3 * n + 0.575) + (2.3 * n + 0.575);
    }

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        Span<byte> d = stackalloc byte[8];
        _bus.WriteRead([DataStart], d);
        int adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
        int adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
        int adcH = (d[6] << 8) | d[7];

        // 0x80000 / 0x8000 mean "not measured" (skipped or no conversion yet).
        bool haveT = adcT != 0x80000;
        int fine = haveT ? _calibration.FineTemperature(adcT) : 0;
        for (int i = 0; i < _quantities.Length; i++)
        {
            values[i] = !haveT ? float.NaN : _quantities[i] switch
            {
                Bme280Quantity.Temperature => (float)Bme280Calibration.Celsius(fine),
                Bme280Quantity.Pressure => adcP == 0x80000 ? float.NaN : (float)_calibration.Pascals(adcP, fine),
                _ => adcH == 0x8000 ? float.NaN : (float)_calibration.RelativeHumidity(adcH, fine),
            };
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _binding.Dispose(); // disposes the I2C device too
        }

        base.Dispose(disposing);
    }
}
