using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Ads1115;

namespace EdgeLstm.Sensors.Tests.Devices;

public class Ads1115Tests
{
    private static readonly I2cConnectionSettings Settings = new(1, 0x48);

    private static SimulatedAds1115 Chip(ManualClock clock, double a0, double a1 = 0, double a2 = 0, double a3 = 0) =>
        new(Settings, clock, new ConstantSignal(a0), new ConstantSignal(a1), new ConstantSignal(a2), new ConstantSignal(a3));

    [Theory]
    [InlineData(1.234, MeasuringRange.FS4096)]
    [InlineData(-0.7, MeasuringRange.FS4096)]
    [InlineData(0.2, MeasuringRange.FS0256)]
    [InlineData(5.9, MeasuringRange.FS6144)]
    public void Binding_reads_simulated_voltage_within_one_lsb(double volts, MeasuringRange range)
    {
        var clock = new ManualClock();
        using var adc = new Ads1115(Chip(clock, volts), InputMultiplexer.AIN0, range, DataRate.SPS860, DeviceMode.PowerDown);
        short raw = adc.ReadRaw();
        double lsb = Ads1115Device.FullScaleVolts(range) / 32768.0;
        Assert.InRange(raw * lsb, volts - lsb, volts + lsb);
    }

    [Fact]
    public void Device_reads_each_input_and_differential_pair()
    {
        var clock = new ManualClock();
        var chip = Chip(clock, 1.0, 0.25, 2.5, 3.0);
        using var device = new Ads1115Device("adc", new Ads1115(chip, deviceMode: DeviceMode.PowerDown),
            [InputMultiplexer.AIN0, InputMultiplexer.AIN1, InputMultiplexer.AIN2, InputMultiplexer.AIN3, InputMultiplexer.AIN0_AIN1, InputMultiplexer.AIN2_AIN3],
            MeasuringRange.FS4096, DataRate.SPS860);
        Span<float> v = stackalloc float[6];
        device.Read(0, v);
        double lsb = 4.096 / 32768;
        double[] expected = [1.0, 0.25, 2.5, 3.0, 0.75, -0.5];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(v[i], expected[i] - lsb, expected[i] + lsb);
        }
    }

    [Fact]
    public void Voltage_above_full_scale_saturates_at_the_top_code()
    {
        var clock = new ManualClock();
        using var adc = new Ads1115(Chip(clock, 3.0), InputMultiplexer.AIN0, MeasuringRange.FS2048, DataRate.SPS860, DeviceMode.PowerDown);
        Assert.Equal(short.MaxValue, adc.ReadRaw());
    }

    [Fact]
    public void Reading_follows_the_signal_over_time()
    {
        var clock = new ManualClock();
        var chip = new SimulatedAds1115(Settings, clock, new SineSignal(1.0, 0.5, 1.0), new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(0));
        using var adc = new Ads1115(chip, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS860, DeviceMode.PowerDown);
        double lsb = 4.096 / 32768;
        clock.Advance(250_000_000); // quarter period: sine at its peak
        Assert.InRange(adc.ReadRaw() * lsb, 1.5 - lsb, 1.5 + lsb);
        clock.Advance(500_000_000); // three quarters: trough
        Assert.InRange(adc.ReadRaw() * lsb, 0.5 - lsb, 0.5 + lsb);
    }

    [Fact]
    public void Driver_writes_the_datasheet_config_bits()
    {
        var clock = new ManualClock();
        var chip = Chip(clock, 1);
        using var adc = new Ads1115(chip, InputMultiplexer.AIN2, MeasuringRange.FS1024, DataRate.SPS475, DeviceMode.PowerDown);
        adc.ReadRaw();
        ushort cfg = chip.ConfigRegister;
        Assert.Equal(0b110, (cfg >> 12) & 7); // MUX: AIN2 vs GND
        Assert.Equal(0b011, (cfg >> 9) & 7);  // PGA: ±1.024 V
        Assert.Equal(1, (cfg >> 8) & 1);      // single-shot
        Assert.Equal(0b110, (cfg >> 5) & 7);  // 475 SPS
    }
}
