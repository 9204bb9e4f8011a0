using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Bmxx80;

namespace EdgeLstm.Sensors.Tests.Devices;

public class Bme280Tests
{
    private static SimulatedBme280 Chip(MonotonicClock clock, double celsius, double pascals, double humidity) =>
        new(new I2cConnectionSettings(1, 0x76), clock, new ConstantSignal(celsius), new ConstantSignal(pascals), new ConstantSignal(humidity));

    [Theory]
    [InlineData(25.0, 101325.0, 45.0)]
    [InlineData(-10.5, 90000.0, 80.0)]
    [InlineData(60.0, 110000.0, 5.0)]
    public void Binding_unitsnet_read_agrees_with_the_simulated_quantities(double celsius, double pascals, double humidity)
    {
        // The binding's own (floating-point) compensation checks our register layout and inverse formulas.
        using var bme = new Bme280(Chip(new ManualClock(), celsius, pascals, humidity))
        {
            TemperatureSampling = Sampling.Standard,
            PressureSampling = Sampling.Standard,
            HumiditySampling = Sampling.Standard,
        };
        var r = bme.Read();
        Assert.InRange(r.Temperature!.Value.DegreesCelsius, celsius - 0.02, celsius + 0.02);
        Assert.InRange(r.Pressure!.Value.Pascals, pascals - 3, pascals + 3);
        Assert.InRange(r.Humidity!.Value.Percent, humidity - 0.1, humidity + 0.1);
    }

    [Fact]
    public void Raw_device_reads_match_the_simulated_quantities()
    {
        using var device = new Bme280Device("env", Chip(new ManualClock(), 31.5, 98765, 62.5), [Bme280Quantity.Humidity, Bme280Quantity.Temperature, Bme280Quantity.Pressure]);
        Span<float> v = stackalloc float[3];
        device.Read(0, v);
        Assert.InRange(v[0], 62.4, 62.6);
        Assert.InRange(v[1], 31.49, 31.51);
        Assert.InRange(v[2], 98762, 98768);
    }

    [Fact]
    public void Calibration_round_trips_through_the_register_layout()
    {
        Span<byte> b1 = stackalloc byte[26];
        Span<byte> b2 = stackalloc byte[7];
        var c = new Bme280Calibration { T1 = 1, T2 = -2, T3 = 3, P1 = 4, P2 = -5, P3 = 6, P4 = 7, P5 = -8, P6 = 9, P7 = 10, P8 = -11, P9 = 12, H1 = 13, H2 = -14, H3 = 15, H4 = -300, H5 = 1234, H6 = -16 };
        c.WriteTo(b1, b2);
        var p = Bme280Calibration.Parse(b1, b2);
        Assert.Equal((c.T1, c.T2, c.P9, c.H1, c.H2, c.H3, c.H4, c.H5, c.H6), (p.T1, p.T2, p.P9, p.H1, p.H2, p.H3, p.H4, p.H5, p.H6));
    }

    [Fact]
    public void Invalid_measurement_reads_as_nan()
    {
        var clock = new ManualClock();
        var chip = new SimulatedBme280(new I2cConnectionSettings(1, 0x76), clock,
            new ConstantSignal(20), new InvalidReadingFault(new ConstantSignal(100000), 1, 2), new ConstantSignal(50));
        using var device = new Bme280Device("env", chip, [Bme280Quantity.Temperature, Bme280Quantity.Pressure]);
        Span<float> v = stackalloc float[2];
        clock.Advance(1_500_000_000);
        device.Read(clock.NowNanoseconds, v);
        Assert.InRange(v[0], 19.99, 20.01);
        Assert.True(float.IsNaN(v[1]));
        clock.Advance(1_000_000_000);
        device.Read(clock.NowNanoseconds, v);
        Assert.InRange(v[1], 99997, 100003);
    }

    [Fact]
    public void Chip_reset_is_detected_reconfigured_and_reported_as_invalid_once()
    {
        var chip = Chip(new ManualClock(), 22.5, 100_500, 40);
        using var device = new Bme280Device("env", chip, [Bme280Quantity.Temperature, Bme280Quantity.Humidity]);
        Span<float> v = stackalloc float[2];
        device.Read(0, v);
        Assert.InRange(v[0], 22.49, 22.51);
        chip.Write([0xE0, 0xB6]); // soft reset, as a brown-out would do
        device.Read(0, v);
        Assert.True(float.IsNaN(v[0]) && float.IsNaN(v[1]));
        Assert.Equal(1, device.Reconfigurations);
        device.Read(0, v);
        Assert.InRange(v[0], 22.49, 22.51);
        Assert.InRange(v[1], 39.95, 40.05); // humidity oversampling restored too
    }

    [Fact]
    public void Measurement_time_follows_the_datasheet_formula()
    {
        Assert.Equal(9.3, Bme280Device.MaxMeasurementMilliseconds(Sampling.UltraLowPower), 3);
        Assert.Equal(112.8, Bme280Device.MaxMeasurementMilliseconds(Sampling.UltraHighResolution), 3);
    }
}
