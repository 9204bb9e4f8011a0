using System.Device.Spi;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Tests.Devices;

public class Mcp3008Tests
{
    private static SimulatedMcp3008 Chip(ManualClock clock, params double[] volts) =>
        new(new SpiConnectionSettings(0, 0), clock, 3.3, [.. volts.Select(v => (Signal)new ConstantSignal(v))]);

    [Fact]
    public void Binding_reads_every_single_ended_input_within_one_lsb()
    {
        double[] volts = [0.0, 0.4, 0.8, 1.2, 1.65, 2.0, 2.9, 3.29];
        using var adc = new Mcp3008(Chip(new ManualClock(), volts));
        for (int ch = 0; ch < 8; ch++)
        {
            double lsb = 3.3 / 1024;
            Assert.InRange(adc.Read(ch) * lsb, volts[ch] - lsb, volts[ch] + lsb);
        }
    }

    [Fact]
    public void Binding_reads_differential_pairs()
    {
        using var adc = new Mcp3008(Chip(new ManualClock(), 2.0, 0.5, 0, 0, 0, 0, 0, 0));
        double lsb = 3.3 / 1024;
        Assert.InRange(adc.ReadDifferential(0, 1) * lsb, 1.5 - lsb, 1.5 + lsb);
        // The binding measures both orderings (the chip clips each at 0) and subtracts: a signed result.
        Assert.InRange(adc.ReadDifferential(1, 0) * lsb, -1.5 - lsb, -1.5 + lsb);
    }

    [Fact]
    public void Input_above_reference_saturates_at_1023()
    {
        using var adc = new Mcp3008(Chip(new ManualClock(), 5, 0, 0, 0, 0, 0, 0, 0));
        Assert.Equal(1023, adc.Read(0));
    }

    [Fact]
    public void Device_scales_to_volts()
    {
        using var device = new Mcp3008Device("adc", new Mcp3008(Chip(new ManualClock(), 0, 0, 0, 1.0, 0, 0, 2.5, 0)), [3, 6], 3.3);
        Span<float> v = stackalloc float[2];
        device.Read(0, v);
        Assert.InRange(v[0], 1.0 - 3.3 / 1024, 1.0 + 3.3 / 1024);
        Assert.InRange(v[1], 2.5 - 3.3 / 1024, 2.5 + 3.3 / 1024);
    }
}
