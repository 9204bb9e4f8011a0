using System.Device.Gpio;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Tests.Devices;

public class GpioTests
{
    [Fact]
    public void Tachometer_measures_pulse_frequency_and_rpm()
    {
        var clock = new ManualClock();
        var driver = new SimulatedGpioDriver(clock);
        using var gpio = new GpioController(driver);
        driver.SetPulseInput(17, new ConstantSignal(50)); // 50 Hz, 2 pulses/rev → 1500 rpm
        using var tach = new TachometerDevice("tach", gpio, clock, 17, PinMode.InputPullUp, 2, [TachometerQuantity.Frequency, TachometerQuantity.Rpm], averagingSamples: 10);
        Span<float> v = stackalloc float[2];
        tach.Read(clock.NowNanoseconds, v);
        Assert.True(float.IsNaN(v[0]), "no interval yet");
        for (int i = 0; i < 20; i++)
        {
            clock.Advance(100_000_000);
            tach.Read(clock.NowNanoseconds, v);
        }

        Assert.InRange(v[0], 49.5, 50.5);
        Assert.InRange(v[1], 1485, 1515);
        Assert.InRange(tach.TotalPulses, 99, 101);
    }

    [Fact]
    public void Tachometer_counts_pulses_per_sample()
    {
        var clock = new ManualClock();
        var driver = new SimulatedGpioDriver(clock);
        using var gpio = new GpioController(driver);
        driver.SetPulseInput(6, new ConstantSignal(30)); // 30 pulses/s: 3 per 100 ms sample
        using var counter = new TachometerDevice("flow", gpio, clock, 6, PinMode.Input, 1, [TachometerQuantity.Pulses], averagingSamples: 1);
        Span<float> v = stackalloc float[1];
        float total = 0;
        for (int i = 0; i < 10; i++)
        {
            clock.Advance(100_000_000);
            counter.Read(clock.NowNanoseconds, v);
            Assert.InRange(v[0], 2, 4);
            total += v[0];
        }

        Assert.InRange(total, 29, 31);
        Assert.Equal(total, counter.TotalPulses);
    }

    [Fact]
    public void Tachometer_follows_a_speed_change()
    {
        var clock = new ManualClock();
        var driver = new SimulatedGpioDriver(clock);
        using var gpio = new GpioController(driver);
        driver.SetPulseInput(5, new SumSignal(new ConstantSignal(20), new StepFault(5, 30)));
        using var tach = new TachometerDevice("tach", gpio, clock, 5, PinMode.Input, 1, [TachometerQuantity.Frequency], averagingSamples: 5);
        Span<float> v = stackalloc float[1];
        for (int i = 0; i <= 100; i++)
        {
            tach.Read(clock.NowNanoseconds, v);
            if (i == 45)
            {
                Assert.InRange(v[0], 19, 21);
            }

            clock.Advance(100_000_000);
        }

        Assert.InRange(v[0], 49, 51);
    }

    [Fact]
    public void Level_input_reports_active_state_with_polarity()
    {
        var clock = new ManualClock();
        var driver = new SimulatedGpioDriver(clock);
        using var gpio = new GpioController(driver);
        driver.SetLevelInput(27, new SineSignal(0.5, 1, 0.5)); // high for the first second, low for the next
        using var input = new GpioInputDevice("valve", gpio, 27, PinMode.InputPullUp, activeLow: true);
        Span<float> v = stackalloc float[1];
        clock.Advance(500_000_000);
        input.Read(clock.NowNanoseconds, v);
        Assert.Equal(0f, v[0]);
        clock.Advance(1_000_000_000);
        input.Read(clock.NowNanoseconds, v);
        Assert.Equal(1f, v[0]);
    }

    [Fact]
    public void Alarm_output_drives_the_pin_only_on_change()
    {
        var driver = new SimulatedGpioDriver(new ManualClock());
        using var gpio = new GpioController(driver);
        var alarm = new AlarmOutput(gpio, 22, activeHigh: false);
        Assert.Equal(PinValue.High, driver.OutputValue(22)); // active-low: inactive is high
        alarm.Set(true);
        alarm.Set(true);
        Assert.Equal(PinValue.Low, driver.OutputValue(22));
        Assert.True(alarm.IsActive);
        alarm.Set(false);
        Assert.Equal(PinValue.High, driver.OutputValue(22));
        Assert.Equal(2, alarm.TransitionCount);
        Assert.Equal(3, driver.WriteCount(22));
        alarm.Dispose();
        Assert.Throws<ObjectDisposedException>(() => alarm.Set(true));
    }
}
