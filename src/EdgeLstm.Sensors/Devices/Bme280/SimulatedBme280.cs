using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A Bosch BME280 at register level (BST-BME280-DS002 §5.3–5.4): chip id 0x60 at 0xD0, soft reset at
/// 0xE0, trimming parameters at 0x88–0xA1 and 0xE1–0xE7, ctrl_hum/status/ctrl_meas/config at 0xF2–0xF5,
/// and burst-readable data at 0xF7–0xFE. Raw ADC values are found by inverting the datasheet's
/// compensation for the temperature (°C), pressure (Pa) and humidity (%RH) signals. A measurement whose
/// oversampling is "skipped", or whose signal is NaN, reads 0x80000 (0x8000 for humidity) as on the chip.
/// </summary>
public sealed class SimulatedBme280 : SimulatedI2cDevice
{
    /// <summary>
    /// Trimming values used by the simulated chip: T and P from the worked example in the BMP280 datasheet
    /// (BST-BMP280-DS001 §3.12), H values typical of production parts.
    /// </summary>
    public static readonly Bme280Calibration DefaultCalibration = new()
    {
        T1 = 27504, T2 = 26435, T3 = -1000,
        P1 = 36477, P2 = -10685, P3 = 3024, P4 = 2855, P5 = 140, P6 = -7, P7 = 15500, P8 = -14600, P9 = 6000,
        H1 = 75, H2 = 362, H3 = 0, H4 = 313, H5 = 50, H6 = 30,
    };

    private const int SkippedTemperatureOrPressure = 0x80000;
    private const int SkippedHumidity = 0x8000;

    private readonly byte[] _registers = new byte[256];
    private readonly Signal _temperature;
    private readonly Signal _pressure;
    private readonly Signal _humidity;
    private readonly Bme280Calibration _calibration;
    private byte _pointer;

    /// <summary>Creates the chip.</summary>
    /// <param name="settings">Bus and address (0x76, or 0x77 with SDO high).</param>
    /// <param name="clock">Board clock.</param>
    /// <param name="temperature">Temperature in °C.</param>
    /// <param name="pressure">Pressure in Pa.</param>
    /// <param name="humidity">Relative humidity in %.</param>
    /// <param name="calibration">Trimming parameters to expose; <see cref="DefaultCalibration"/> if null.</param>
    public SimulatedBme280(I2cConnectionSettings settings, MonotonicClock clock, Signal temperature, Signal pressure, Signal humidity, Bme280Calibration? calibration = null)
        : base(settings, clock, "BME280")
    {
        _temperature = temperature ?? throw new ArgumentNullException(nameof(temperature));
        _pressure = pressure ?? throw new ArgumentNullException(nameof(pressure));
        _humidity = humidity ?? throw new ArgumentNullException(nameof(humidity));
        _calibration = calibration ?? DefaultCalibration;
        Reset();
    }


    /// <inheritdoc />
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        // Multi-byte writes are register/value pairs (§6.2.1), not an auto-incremented block.
        _pointer = data[0];
        for (int i = 1; i < data.Length; i += 2)
        {
            WriteRegister(data[i - 1], data[i]);
        }
    }

    /// <inheritdoc />
    protected override void OnRead(Span<byte> buffer)
    {
        bool normalMode = (_registers[(byte)Bme280Register.ControlMeasurement] & 0x03) == 0x03;
        if (normalMode && _pointer + buffer.Length > (byte)Bme280Register.PressureMsb)
        {
            Measure();
        }

        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _registers[_pointer];
            _pointer = (byte)(_pointer == 0xFF ? 0xFF : _pointer + 1);
        }
    }

    private void WriteRegister(byte register, byte value)
    {
        switch ((Bme280Register)register)
        {
            case Bme280Register.SoftReset when value == 0xB6:
                Reset();
                break;
            case Bme280Register.ControlHumidity:
            case Bme280Register.Config:
                _registers[register] = value;
                break;
            case Bme280Register.ControlMeasurement:
                _registers[register] = value;
                int mode = value & 0x03;
                if (mode is 0x01 or 0x02)
                {
                    Measure(); // forced mode: one measurement, then back to sleep (§3.3.2)
                    _registers[register] = (byte)(value & ~0x03);
                }

                break;
            default:
                break; // everything else is read-only
        }
    }

    private void Reset()
    {
        Array.Clear(_registers);
        _registers[(byte)Bme280Register.ChipId] = 0x60;
        _calibration.WriteTo(_registers.AsSpan((byte)Bme280Register.CalibrationBlock1, 26), _registers.AsSpan((byte)Bme280Register.CalibrationBlock2, 7));
        // Data registers read 0x80000 / 0x8000 until the first measurement (Table 18).
        WriteData(SkippedTemperatureOrPressure, SkippedTemperatureOrPressure, SkippedHumidity);
    }

    private void Measure()
    {
        double t = NowSeconds;
        byte ctrlMeas = _registers[(byte)Bme280Register.ControlMeasurement];
        bool temperatureOn = (ctrlMeas >> 5) != 0;
        bool pressureOn = ((ctrlMeas >> 2) & 0x07) != 0;
        bool humidityOn = (_registers[(byte)Bme280Register.ControlHumidity] & 0x07) != 0;

        double celsius = _temperature.ValueAt(t);
        if (!temperatureOn || double.IsNaN(celsius))
        {
            WriteData(SkippedTemperatureOrPressure, SkippedTemperatureOrPressure, SkippedHumidity);
            return;
        }

        int adcT = AvoidSentinel(InvertTemperature(celsius), SkippedTemperatureOrPressure);
        int fine = _calibration.FineTemperature(adcT);
        double pascals = _pressure.ValueAt(t);
        double humidity = _humidity.ValueAt(t);
        int adcP = pressureOn && !double.IsNaN(pascals) ? AvoidSentinel(InvertPressure(pascals, fine), SkippedTemperatureOrPressure) : SkippedTemperatureOrPressure;
        int adcH = humidityOn && !double.IsNaN(humidity) ? AvoidSentinel(InvertHumidity(humidity, fine), SkippedHumidity) : SkippedHumidity;
        WriteData(adcP, adcT, adcH);
    }

    // Drivers (Bosch's own included) read the "skipped" code as "no measurement", so a real result that lands
    // exactly on it is moved one LSB away, as the chip's noise would.
    private static int AvoidSentinel(int code, int sentinel) => code == sentinel ? code + 1 : code;

    private void WriteData(int adcP, int adcT, int adcH)
    {
        // press_msb/lsb/xlsb[7:4], temp_msb/lsb/xlsb[7:4], hum_msb/lsb (§5.4.7–5.4.9).
        Span<byte> d = _registers.AsSpan((byte)Bme280Register.PressureMsb, 8);
        d[0] = (byte)(adcP >> 12);
        d[1] = (byte)(adcP >> 4);
        d[2] = (byte)((adcP & 0x0F) << 4);
        d[3] = (byte)(adcT >> 12);
        d[4] = (byte)(adcT >> 4);
        d[5] = (byte)((adcT & 0x0F) << 4);
        d[6] = (byte)(adcH >> 8);
        d[7] = (byte)adcH;
    }

    // The compensation formulas are monotonic in the raw value, so bisection finds the nearest code.
    private int InvertTemperature(double celsius)
    {
        double targetFine = celsius * 5120.0;
        int lo = 0, hi = 0xFFFFF;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_calibration.FineTemperature(mid) < targetFine)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int InvertPressure(double pascals, int fine)
    {
        // Pressure falls as adc_P rises.
        int lo = 0, hi = 0xFFFFF;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_calibration.Pascals(mid, fine) > pascals)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int InvertHumidity(double percent, int fine)
    {
        int lo = 0, hi = 0xFFFF;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_calibration.RelativeHumidity(mid, fine) < percent)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
