using System.Device.I2c;
using System.Numerics;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Vibration features from an MPU-6050: each sample reads a sub-window of raw accelerometer vectors with
/// the bindings' <see cref="Mpu6050.GetAccelerometer"/> (m/s², no UnitsNet) and reduces them to RMS, peak
/// or mean per axis or of the magnitude. The window buffer is allocated once. A chip found asleep (reset by a
/// brown-out) is woken and reconfigured, and that sample reported invalid.
/// </summary>
public sealed class Mpu6050VibrationDevice : SensorDevice
{
    private const byte PowerManagement1 = (byte)Mpu6050Register.PowerManagement1;
    private const byte SleepBit = 0x40;
    private const byte ClockPllXGyro = 0x01;
    private readonly I2cDevice _bus;
    private readonly Mpu6050 _imu;
    private readonly VibrationOutput[] _outputs;
    private readonly Vector4[] _window; // x, y, z, |a|
    private readonly AccelerometerRange _range;

    /// <summary>Creates the binding on <paramref name="bus"/> (it resets and wakes the chip) and sets the range.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="bus">The I2C device; owned and disposed by this device.</param>
    /// <param name="outputs">One output per channel, in channel order.</param>
    /// <param name="windowLength">Accelerometer reads per sample (≥ 2).</param>
    /// <param name="range">Accelerometer full-scale range.</param>
    public Mpu6050VibrationDevice(string name, I2cDevice bus, IReadOnlyList<VibrationOutput> outputs, int windowLength, AccelerometerRange range = AccelerometerRange.Range04G)
        : base(name, outputs?.Count ?? 0)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLength, 2);
        _outputs = [.. outputs!];
        _window = new Vector4[windowLength];
        _range = range;
        _imu = new Mpu6050(bus);
        Configure();
    }

    /// <summary>Gets the number of accelerometer reads per sample.</summary>
    public int WindowLength => _window.Length;

    /// <summary>Gets how many times the chip was found asleep (reset by a brown-out) and was woken again.</summary>
    public int Reconfigurations { get; private set; }

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        // After a power glitch the chip comes back asleep with frozen outputs, which would read as a perfectly
        // still machine. One register read per sample tells.
        Span<byte> power = stackalloc byte[1];
        _bus.WriteRead([PowerManagement1], power);
        if ((power[0] & SleepBit) != 0)
        {
            _bus.Write([PowerManagement1, ClockPllXGyro]);
            Configure();
            Reconfigurations++;
            values.Fill(float.NaN);
            return;
        }

        for (int i = 0; i < _window.Length; i++)
        {
            Vector3 a = _imu.GetAccelerometer();
            _window[i] = new Vector4(a, a.Length());
        }

        Vector4 mean = Vector4.Zero;
        foreach (Vector4 v in _window)
        {
            mean += v;
        }

        mean /= _window.Length;
        Vector4 sumSquares = Vector4.Zero;
        Vector4 peak = Vector4.Zero;
        foreach (Vector4 v in _window)
        {
            Vector4 d = v - mean;
            sumSquares += d * d;
            peak = Vector4.Max(peak, Vector4.Abs(d));
        }

        Vector4 rms = Vector4.SquareRoot(sumSquares / _window.Length);
        for (int i = 0; i < _outputs.Length; i++)
        {
            Vector4 stat = _outputs[i].Statistic switch
            {
                VibrationStatistic.Rms => rms,
                VibrationStatistic.Peak => peak,
                _ => mean,
            };
            values[i] = stat[(int)_outputs[i].Axis];
        }
    }

    private void Configure()
    {
        _imu.AccelerometerRange = _range;
        // The binding divides its scale by (1 + SMPLRT_DIV); keep the divider at 0 so readings are in m/s².
        _imu.SampleRateDivider = 0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _imu.Dispose();
        }

        base.Dispose(disposing);
    }
}
