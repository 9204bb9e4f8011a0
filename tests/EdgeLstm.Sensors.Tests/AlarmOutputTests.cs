using System.Device.Gpio;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Tests;

public class AlarmOutputTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fail_safe_output_is_energized_only_while_monitoring_without_an_alarm(bool activeHigh)
    {
        var driver = new SimulatedGpioDriver(new ManualClock());
        using var gpio = new GpioController(driver);
        PinValue energized = activeHigh ? PinValue.High : PinValue.Low, dropped = activeHigh ? PinValue.Low : PinValue.High;
        var alarm = new AlarmOutput(gpio, 22, activeHigh, failSafe: true);
        Assert.True(alarm.IsFailSafe);
        Assert.Equal(dropped, driver.OutputValue(22)); // starting up: not monitored yet

        alarm.SetMonitoring(true);
        Assert.Equal(energized, driver.OutputValue(22)); // sampling, no alarm
        Assert.True(alarm.IsEnergized);
        alarm.Set(true);
        Assert.Equal(dropped, driver.OutputValue(22)); // alarm
        Assert.False(alarm.IsEnergized);
        alarm.Set(false);
        Assert.Equal(energized, driver.OutputValue(22));
        alarm.SetMonitoring(false);
        Assert.Equal(dropped, driver.OutputValue(22)); // stopping: "not monitored"
        alarm.Set(false);
        alarm.SetMonitoring(true);
        alarm.SetMonitoring(true);
        Assert.Equal(6, driver.WriteCount(22)); // open, then only the five changes of level

        alarm.Dispose();
        Assert.Equal(dropped, driver.OutputValue(22)); // clean shutdown drops the relay
        Assert.False(gpio.IsPinOpen(22)); // and releases the line, as the kernel does for a process that died
        Assert.Throws<ObjectDisposedException>(() => alarm.SetMonitoring(true));
    }

    [Fact]
    public void Normal_output_ignores_monitoring_and_is_energized_on_an_alarm()
    {
        var driver = new SimulatedGpioDriver(new ManualClock());
        using var gpio = new GpioController(driver);
        var alarm = new AlarmOutput(gpio, 22, activeHigh: true);
        alarm.SetMonitoring(true);
        Assert.Equal(PinValue.Low, driver.OutputValue(22));
        alarm.Set(true);
        Assert.Equal(PinValue.High, driver.OutputValue(22));
        alarm.SetMonitoring(false);
        Assert.Equal(PinValue.High, driver.OutputValue(22)); // an alarm stays signalled while the runtime shuts down
        alarm.Dispose();
        Assert.Equal(PinValue.Low, driver.OutputValue(22));
    }

    [Fact]
    public void Fail_safe_is_read_from_the_board_file()
    {
        const string Json = """
            { "board": { "name": "b", "simulated": true }, "sampler": { "rateHz": 10, "clock": "fast" },
              "devices": [ { "type": "gpioInput", "name": "valve", "pin": 5, "channels": [ { "name": "open" } ] } ],
              "alarm": { "pin": 27, "activeHigh": false, "failSafe": true } }
            """;
        using SensorBoard board = SensorBoard.Create(BoardConfigLoader.Parse(Json, Repository.Root));
        AlarmOutput alarm = Assert.IsType<AlarmOutput>(board.Alarm);
        Assert.True(alarm.IsFailSafe);
        Assert.Equal(PinValue.High, board.SimulatedGpio!.OutputValue(27)); // active-low relay, de-energized
        alarm.SetMonitoring(true);
        Assert.Equal(PinValue.Low, board.SimulatedGpio.OutputValue(27));
    }
}
