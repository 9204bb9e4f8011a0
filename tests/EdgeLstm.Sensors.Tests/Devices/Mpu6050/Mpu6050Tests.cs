using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors.Tests.Devices;

public class Mpu6050Tests
{
    private static SimulatedMpu6050 Chip(MonotonicClock clock, Signal x, Signal y, Signal z) =>
        new(new I2cConnectionSettings(1, 0x68), clock, x, y, z, new ConstantSignal(1.5), new ConstantSignal(-3), new ConstantSignal(0));

    [Fact]
    public void Binding_initialises_and_reads_acceleration_and_rotation()
    {
        var clock = new ManualClock();
        using var imu = new Mpu6050(Chip(clock, new ConstantSignal(0.5), new ConstantSignal(-1.0), new ConstantSignal(SimulatedMpu6050.Gravity)));
        imu.AccelerometerRange = AccelerometerRange.Range04G;
        var a = imu.GetAccelerometer();
        double lsb = 4 * SimulatedMpu6050.Gravity / 32768;
        Assert.InRange(a.X, 0.5 - lsb, 0.5 + lsb);
        Assert.InRange(a.Y, -1.0 - lsb, -1.0 + lsb);
        Assert.InRange(a.Z, SimulatedMpu6050.Gravity - lsb, SimulatedMpu6050.Gravity + lsb);
        var g = imu.GetGyroscopeReading();
        Assert.InRange(g.X, 1.5 - 250.0 / 32768, 1.5 + 250.0 / 32768);
        Assert.InRange(g.Y, -3 - 250.0 / 32768, -3 + 250.0 / 32768);
    }

    [Fact]
    public void Vibration_rms_and_peak_of_a_sine_match_theory()
    {
        // 50 Hz, 2 m/s² amplitude on X; a 20-read window at the 1 kHz output rate covers exactly one period.
        var clock = new ManualClock();
        var chip = Chip(clock, new SineSignal(0, 2.0, 50), new ConstantSignal(0), new ConstantSignal(SimulatedMpu6050.Gravity));
        using var device = new Mpu6050VibrationDevice("imu", chip,
            [new(VibrationAxis.X, VibrationStatistic.Rms), new(VibrationAxis.X, VibrationStatistic.Peak), new(VibrationAxis.Z, VibrationStatistic.Mean), new(VibrationAxis.Y, VibrationStatistic.Rms)],
            windowLength: 20);
        Span<float> v = stackalloc float[4];
        device.Read(0, v);
        Assert.InRange(v[0], 2.0 / Math.Sqrt(2) - 0.01, 2.0 / Math.Sqrt(2) + 0.01);
        Assert.InRange(v[1], 1.9, 2.01);
        Assert.InRange(v[2], SimulatedMpu6050.Gravity - 0.01, SimulatedMpu6050.Gravity + 0.01);
        Assert.InRange(v[3], 0, 0.002);
    }

    [Fact]
    public void Growing_imbalance_raises_vibration_rms_over_time()
    {
        var clock = new ManualClock();
        var x = new SumSignal(new SineSignal(0, 0.2, 25), new GrowingImbalanceFault(10, 25, 0.1));
        using var device = new Mpu6050VibrationDevice("imu", Chip(clock, x, new ConstantSignal(0), new ConstantSignal(9.807)),
            [new(VibrationAxis.X, VibrationStatistic.Rms)], windowLength: 40);
        Span<float> v = stackalloc float[1];
        device.Read(clock.NowNanoseconds, v);
        float healthy = v[0];
        clock.Advance(30_000_000_000);
        device.Read(clock.NowNanoseconds, v);
        Assert.True(v[0] > 5 * healthy, $"rms {v[0]} should have grown well past {healthy}");
    }

    [Fact]
    public void Chip_that_wakes_up_asleep_after_a_reset_is_woken_and_that_sample_is_invalid()
    {
        var clock = new ManualClock();
        var chip = Chip(clock, new SineSignal(0, 2.0, 50), new ConstantSignal(0), new ConstantSignal(SimulatedMpu6050.Gravity));
        using var device = new Mpu6050VibrationDevice("imu", chip, [new(VibrationAxis.X, VibrationStatistic.Rms)], windowLength: 20, range: AccelerometerRange.Range08G);
        Span<float> v = stackalloc float[1];
        device.Read(0, v);
        Assert.InRange(v[0], 1.40, 1.43);
        chip.Write([0x6B, 0x80]); // DEVICE_RESET: registers to defaults, SLEEP set, outputs frozen
        clock.Advance(10_000_000);
        device.Read(0, v);
        Assert.True(float.IsNaN(v[0]));
        Assert.Equal(1, device.Reconfigurations);
        clock.Advance(10_000_000);
        device.Read(0, v);
        Assert.InRange(v[0], 1.40, 1.43); // awake, and the ±8 g range is back (a wrong range would scale the reading)
    }

    [Fact]
    public void Wrong_chip_id_is_rejected_by_the_binding()
    {
        var chip = new WrongIdChip();
        Assert.Throws<IOException>(() => new Mpu6050(chip));
    }

    private sealed class WrongIdChip() : SimulatedI2cDevice(new I2cConnectionSettings(1, 0x68), new ManualClock(), "not an MPU6050")
    {
        protected override void OnWrite(ReadOnlySpan<byte> data) { }

        protected override void OnRead(Span<byte> buffer) => buffer.Fill(0x12);
    }
}
