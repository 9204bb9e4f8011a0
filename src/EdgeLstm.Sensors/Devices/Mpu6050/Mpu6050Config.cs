using System.Device.I2c;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors.Devices;

/// <summary>MPU-6050 accelerometer used for vibration features.</summary>
public sealed class Mpu6050Config : I2cDeviceConfig
{
    private static readonly string[] SimulatedInputNames = ["accelX", "accelY", "accelZ", "gyroX", "gyroY", "gyroZ"];

    /// <inheritdoc />
    public override I2cAddress Address { get; set; } = new(0x68);

    /// <summary>Gets the accelerometer range in g: 2, 4, 8 or 16.</summary>
    public int AccelerometerRangeG { get; set; } = 4;

    /// <summary>Gets the accelerometer reads per sample (the sub-window).</summary>
    public int Window { get; set; } = 16;

    /// <summary>Gets the channels.</summary>
    public required IReadOnlyList<Mpu6050ChannelConfig> Channels { get; set; }

    /// <inheritdoc />
    internal override IReadOnlyList<string> SimulatedInputs => SimulatedInputNames;

    /// <inheritdoc />
    internal override I2cAddressRange AddressRange => new(0x68, 0x69, "MPU-6050: 0x68, or 0x69 with AD0 high");

    /// <inheritdoc />
    public override IReadOnlyList<ChannelConfig> GetChannels() => Channels;

    /// <inheritdoc />
    internal override void Validate(DeviceCheck check)
    {
        if (AccelerometerRangeG is not (2 or 4 or 8 or 16))
        {
            check.Problem("accelerometerRangeG", $"±{AccelerometerRangeG} g is not an MPU-6050 range.", "Use 2, 4, 8 or 16.");
        }

        double reads = check.RateHz * Window;
        if (Window < 2 || Window > 1000)
        {
            check.Problem("window", $"window {Window} is outside 2–1000 reads per sample.", "RMS and peak need at least 2 reads; 16–64 is typical.");
        }
        else if (reads > SimulatedMpu6050.AccelerometerRateHz)
        {
            check.Problem("window", $"{Window} reads per sample at {ConfigText.Num(check.RateHz)} Hz is {ConfigText.Num(reads)} reads/s, but the accelerometer outputs {ConfigText.Num(SimulatedMpu6050.AccelerometerRateHz)} samples/s.",
                $"Lower window to {ConfigText.Num(Math.Floor(SimulatedMpu6050.AccelerometerRateHz / check.RateHz))} or less, or lower sampler.rateHz.");
        }
    }

    /// <inheritdoc />
    internal override SensorDevice Create(DeviceBuild build) =>
        new Mpu6050VibrationDevice(Name, build.OpenI2c(this), [.. Channels.Select(c => new VibrationOutput(c.Axis, c.Statistic))], Window, Range);

    /// <inheritdoc />
    internal override SimulatedI2cDevice CreateSimulatedChip(I2cConnectionSettings settings, DeviceBuild build) =>
        new SimulatedMpu6050(settings, build.Clock, DeviceBuild.Input(this, "accelX", 0), DeviceBuild.Input(this, "accelY", 0), DeviceBuild.Input(this, "accelZ", SimulatedMpu6050.Gravity),
            DeviceBuild.Input(this, "gyroX", 0), DeviceBuild.Input(this, "gyroY", 0), DeviceBuild.Input(this, "gyroZ", 0));

    private AccelerometerRange Range => AccelerometerRangeG switch
    {
        2 => AccelerometerRange.Range02G,
        8 => AccelerometerRange.Range08G,
        16 => AccelerometerRange.Range16G,
        _ => AccelerometerRange.Range04G,
    };
}

/// <summary>A vibration channel.</summary>
public sealed class Mpu6050ChannelConfig : ChannelConfig
{
    /// <summary>Gets the axis.</summary>
    public required VibrationAxis Axis { get; set; }

    /// <summary>Gets the statistic.</summary>
    public required VibrationStatistic Statistic { get; set; }
}
