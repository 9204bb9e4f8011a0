using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Tests.Devices;

public class Ina219Tests
{
    private static SimulatedIna219 Chip(double amperes, double volts) =>
        new(new I2cConnectionSettings(1, 0x40), new ManualClock(), 0.1, new ConstantSignal(amperes), new ConstantSignal(volts));

    [Fact]
    public void Binding_unitsnet_reads_agree_with_the_simulated_current_and_voltage()
    {
        using var ina = new Ina219(Chip(1.25, 12.0));
        ina.Reset();
        ina.SetCalibration(Ina219Device.CalibrationValue(0.1, 3.2), (float)(3.2 / 32768));
        Assert.InRange(ina.ReadBusVoltage().Volts, 11.996, 12.004);
        Assert.InRange(ina.ReadShuntVoltage().Volts, 0.12499, 0.12501);
        Assert.InRange(ina.ReadCurrent().Amperes, 1.25 - 0.001, 1.25 + 0.001);
        Assert.InRange((double)ina.ReadPower().Watts, 14.95, 15.05);
    }

    [Fact]
    public void Raw_device_reads_current_voltages_and_power()
    {
        using var device = new Ina219Device("power", Chip(-0.8, 5.0), [Ina219Quantity.Current, Ina219Quantity.BusVoltage, Ina219Quantity.ShuntVoltage, Ina219Quantity.Power], 0.1, 3.2);
        Span<float> v = stackalloc float[4];
        device.Read(0, v);
        Assert.InRange(v[0], -0.8 - 0.001, -0.8 + 0.001);
        Assert.InRange(v[1], 4.996, 5.004);
        Assert.InRange(v[2], -0.08001, -0.07999);
        Assert.InRange(v[3], 4.0 - 0.02, 4.0 + 0.02);
    }

    [Fact]
    public void Shunt_voltage_saturates_at_the_pga_range()
    {
        using var device = new Ina219Device("power", Chip(10, 5.0), [Ina219Quantity.ShuntVoltage], 0.1, 3.2, pga: Ina219PgaSensitivity.PlusOrMinus40mv);
        Span<float> v = stackalloc float[1];
        device.Read(0, v);
        Assert.InRange(v[0], 0.03999, 0.04001);
    }

    [Fact]
    public void Current_survives_a_chip_reset()
    {
        var chip = Chip(1.5, 12.0);
        using var device = new Ina219Device("power", chip, [Ina219Quantity.Current], 0.1, 3.2);
        Span<float> v = stackalloc float[1];
        device.Read(0, v);
        Assert.InRange(v[0], 1.499, 1.501);
        chip.Write([0x00, 0x80, 0x00]); // RST bit: the calibration register clears
        device.Read(0, v);
        Assert.InRange(v[0], 1.499, 1.501);
    }

    [Fact]
    public void Calibration_follows_datasheet_equation()
    {
        // SBOS448G §8.5.1 example: 0.1 Ω shunt, current LSB 100 µA (3.2768 A max) → 4096.
        Assert.Equal(4096, Ina219Device.CalibrationValue(0.1, 3.2768));
    }
}
