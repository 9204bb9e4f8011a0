using System.Device.I2c;
using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;
using Oversampling = Iot.Device.Bmxx80.Sampling;

namespace EdgeLstm.Sensors.Devices;

/// <summary>The quantities a BME280 measures.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Bme280Quantity>))]
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
/// raw: one burst from ctrl_meas (0xF4) through the data registers (0xF7–0xFE) per sample, compensated by
/// <see cref="Bme280Calibration"/>; a chip found out of normal mode (reset) is reconfigured. The binding's
/// own read methods return UnitsNet quantities (about 6 MB more AOT binary, see docs/sensors.md).
/// In normal mode the chip measures continuously, so a read never waits for a conversion.
/// </summary>
public sealed class Bme280Device : SensorDevice
{
    private const byte ControlHumidity = (byte)Bme280Register.ControlHumidity;
    private const byte ControlMeasurement = (byte)Bme280Register.ControlMeasurement;
    private const byte Config = (byte)Bme280Register.Config;
    private const byte NormalMode = 0x03;
    private readonly Bme280 _binding;
    private readonly I2cDevice _bus;
    private readonly Bme280Quantity[] _quantities;
    private readonly Bme280Calibration _calibration;
    private readonly byte _controlHumidity;
    private readonly byte _controlMeasurement;
    private readonly byte _config;

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
        bus.WriteRead([(byte)Bme280Register.CalibrationBlock1], block1);
        bus.WriteRead([(byte)Bme280Register.CalibrationBlock2], block2);
        _calibration = Bme280Calibration.Parse(block1, block2);

        // Remember the configuration the binding wrote, to restore it if the chip resets (a brown-out).
        Span<byte> control = stackalloc byte[4];
        bus.WriteRead([ControlHumidity], control);
        (_controlHumidity, _controlMeasurement, _config) = (control[0], control[2], control[3]);
    }

    /// <summary>Gets how many times the chip was found reset and was reconfigured.</summary>
    public int Reconfigurations { get; private set; }

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
        // One burst from ctrl_meas: the mode bits show whether the chip still runs in normal mode.
        Span<byte> burst = stackalloc byte[11];
        _bus.WriteRead([ControlMeasurement], burst);
        if ((burst[0] & 0x03) != NormalMode)
        {
            // The chip was reset (power glitch): its data registers are stale. Restore the configuration
            // (ctrl_hum only takes effect with the following ctrl_meas write, §5.4.3) and report no reading.
            _bus.Write([ControlHumidity, _controlHumidity, Config, _config, ControlMeasurement, _controlMeasurement]);
            Reconfigurations++;
            values.Fill(float.NaN);
            return;
        }

        ReadOnlySpan<byte> d = burst[3..];
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
