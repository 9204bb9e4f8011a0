using System.Buffers.Binary;
using System.Device.I2c;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// An InvenSense MPU-6050 at register level (register map RM-MPU-6000A-00 rev 4.2): a 128-byte register
/// file with an auto-incrementing pointer, WHO_AM_I = 0x68, accelerometer/temperature/gyroscope outputs
/// at 0x3B–0x48 (big-endian, scaled by ACCEL_CONFIG/GYRO_CONFIG full-scale bits) computed from signals in
/// m/s² and °/s. Each burst read of the accelerometer returns the next sample of the internal
/// 1 kHz output rate, so several reads inside one sampler period see a real waveform even on a
/// <see cref="ManualClock"/>. While the SLEEP bit is set (after a reset) the outputs do not change.
/// </summary>
public sealed class SimulatedMpu6050 : SimulatedI2cDevice
{
    /// <summary>Standard gravity used by the binding to scale accelerations (m/s²).</summary>
    public const double Gravity = 9.807;

    /// <summary>The accelerometer output rate with the digital low-pass filter off (register map §4.2).</summary>
    public const double AccelerometerRateHz = 1000;

    private readonly byte[] _registers = new byte[128];
    private readonly Signal[] _acceleration;
    private readonly Signal[] _rotation;
    private byte _pointer;
    private long _lastBurstNanoseconds = long.MinValue;
    private int _burstIndex;

    /// <summary>Creates the chip.</summary>
    /// <param name="settings">Bus and address (0x68, or 0x69 with AD0 high).</param>
    /// <param name="clock">Board clock.</param>
    /// <param name="accelX">X acceleration in m/s².</param>
    /// <param name="accelY">Y acceleration in m/s².</param>
    /// <param name="accelZ">Z acceleration in m/s² (about +9.807 lying flat).</param>
    /// <param name="gyroX">X rotation rate in °/s.</param>
    /// <param name="gyroY">Y rotation rate in °/s.</param>
    /// <param name="gyroZ">Z rotation rate in °/s.</param>
    public SimulatedMpu6050(I2cConnectionSettings settings, MonotonicClock clock, Signal accelX, Signal accelY, Signal accelZ, Signal gyroX, Signal gyroY, Signal gyroZ)
        : base(settings, clock, "MPU6050")
    {
        _acceleration = [accelX, accelY, accelZ];
        _rotation = [gyroX, gyroY, gyroZ];
        Reset();
    }


    /// <inheritdoc />
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = (byte)(data[0] & 0x7F);
        for (int i = 1; i < data.Length; i++)
        {
            WriteRegister(_pointer, data[i]);
            _pointer = (byte)((_pointer + 1) & 0x7F);
        }
    }

    /// <inheritdoc />
    protected override void OnRead(Span<byte> buffer)
    {
        if (_pointer >= (byte)Mpu6050Register.AccelXOutHigh && _pointer <= (byte)Mpu6050Register.GyroXOutHigh + 5)
        {
            LatchOutputs();
        }

        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _registers[_pointer];
            _pointer = (byte)((_pointer + 1) & 0x7F);
        }
    }

    private void WriteRegister(byte register, byte value)
    {
        if (register == (byte)Mpu6050Register.PowerManagement1 && (value & 0x80) != 0)
        {
            Reset(); // DEVICE_RESET bit: registers back to power-on values
            return;
        }

        if (register is >= (byte)Mpu6050Register.AccelXOutHigh and <= (byte)Mpu6050Register.GyroXOutHigh + 5 or (byte)Mpu6050Register.WhoAmI)
        {
            return; // read-only
        }

        _registers[register] = value;
    }

    private void Reset()
    {
        Array.Clear(_registers);
        _registers[(byte)Mpu6050Register.PowerManagement1] = 0x40; // SLEEP after reset (§4.28)
        _registers[(byte)Mpu6050Register.WhoAmI] = 0x68;
    }

    private void LatchOutputs()
    {
        if ((_registers[(byte)Mpu6050Register.PowerManagement1] & 0x40) != 0)
        {
            return; // SLEEP: the output registers keep their last values
        }

        // Successive bursts in the same instant walk through the internal 1 kHz output samples.
        long now = Clock.NowNanoseconds;
        _burstIndex = now == _lastBurstNanoseconds ? _burstIndex + 1 : 0;
        _lastBurstNanoseconds = now;
        double t = now * 1e-9 + _burstIndex / AccelerometerRateHz;

        // AFS_SEL (ACCEL_CONFIG bits 4:3): ±2/4/8/16 g; FS_SEL (GYRO_CONFIG bits 4:3): ±250/500/1000/2000 °/s.
        double accelLsb = (2 << ((_registers[(byte)Mpu6050Register.AccelConfig] >> 3) & 3)) * Gravity / 32768.0;
        double gyroLsb = (250 << ((_registers[(byte)Mpu6050Register.GyroConfig] >> 3) & 3)) / 32768.0;
        Span<byte> outputs = _registers.AsSpan((byte)Mpu6050Register.AccelXOutHigh, 14);
        for (int axis = 0; axis < 3; axis++)
        {
            short a = (short)ToCode(_acceleration[axis].ValueAt(t), accelLsb, short.MinValue, short.MaxValue);
            short g = (short)ToCode(_rotation[axis].ValueAt(t), gyroLsb, short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16BigEndian(outputs.Slice(axis * 2), a);
            BinaryPrimitives.WriteInt16BigEndian(outputs.Slice(8 + axis * 2), g);
        }

        // Temperature in °C = TEMP_OUT / 340 + 36.53 (register map §4.18); a constant 25 °C die.
        BinaryPrimitives.WriteInt16BigEndian(outputs.Slice(6), (short)Math.Round((25 - 36.53) * 340));
    }
}
