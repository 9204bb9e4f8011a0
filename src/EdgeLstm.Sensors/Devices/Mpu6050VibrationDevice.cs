using System.Numerics;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Vibration features from an MPU-6050: each sample reads a sub-window of raw accelerometer vectors with
/// the bindings' <see cref="Mpu6050.GetAccelerometer"/> (m/s², no UnitsNet) and reduces them to RMS, peak
/// or mean per axis or of the magnitude. The window buffer is allocated once.
/// </summary>
public sealed class Mpu6050VibrationDevice : SensorDevice
{
    private readonly Mpu6050 _imu;
    private readonly VibrationOutput[] _outputs;
    private readonly Vector4[] _window; // x, y, z, |a|

    /// <summary>Creates the device.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="imu">The binding; owned and disposed by this device.</param>
    /// <param name="outputs">One output per channel, in channel order.</param>
    /// <param name="windowLength">Accelerometer reads per sample (≥ 2).</param>
    /// <param name="range">Accelerometer full-scale range.</param>
    public Mpu6050VibrationDevice(string name, Mpu6050 imu, IReadOnlyList<VibrationOutput> outputs, int windowLength, AccelerometerRange range = AccelerometerRange.Range04G)
        : base(name, outputs?.Count ?? 0)
    {
        _imu = imu ?? throw new ArgumentNullException(nameof(imu));
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLength, 2);
        _outputs = [.. outputs!];
        _window = new Vector4[windowLength];
        _imu.AccelerometerRange = range;
        // The binding divides its scale by (1 + SMPLRT_DIV); keep the divider at 0 so readings are in m/s².
        _imu.SampleRateDivider = 0;
    }

    /// <summary>Gets the number of accelerometer reads per sample.</summary>
    public int WindowLength => _window.Length;

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
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
