using System.Device.Gpio;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Tests;

public class SensorBoardTests
{
    private static int Channel(SensorBoard board, string name) => board.Sampler.Channels.Select(c => c.Name).ToList().IndexOf(name);

    [Fact]
    public void Synthetic_fault_board_shows_each_injected_fault_and_keeps_its_rate()
    {
        using SensorBoard board = SensorBoard.Load(Repository.FirmwareConfig("sim-synthetic-faults.json"));
        Assert.IsType<ManualClock>(board.Clock);
        Assert.Empty(board.StartupErrors);
        Sampler sampler = board.Sampler;
        int vib = Channel(board, "vibration_x_rms"), pressure = Channel(board, "discharge_pressure"), current = Channel(board, "motor_current"), rpm = Channel(board, "shaft_rpm");
        var at = new Dictionary<int, float[]>();
        var statusAt = new Dictionary<int, SampleStatus[]>();
        int[] seconds = [50, 130, 170, 179, 190, 199, 202, 204, 209, 230];
        long expectedTimestamp = 0;
        double rpmSum = 0;
        while (sampler.Frame.Sequence < 230 * 100 && sampler.WaitAndSample())
        {
            Assert.Equal(expectedTimestamp, sampler.Frame.TimestampNanoseconds); // 100 Hz grid, never a missed sample
            expectedTimestamp += 10_000_000;
            long seq = sampler.Frame.Sequence;
            rpmSum += seq >= 210 * 100 ? sampler.Frame.Values[rpm] : 0;
            if (seq % 100 == 0 && seconds.Contains((int)(seq / 100)))
            {
                at[(int)(seq / 100)] = sampler.Frame.Values.ToArray();
                statusAt[(int)(seq / 100)] = sampler.Frame.Statuses.ToArray();
            }
        }

        // Growing imbalance from 60 s: x-axis vibration RMS far above its healthy level.
        Assert.True(at[230][vib] > 5 * at[50][vib], $"vibration {at[50][vib]} → {at[230][vib]}");
        // Pressure transmitter stuck from 120 s: bit-identical readings.
        Assert.Equal(at[130][pressure], at[170][pressure]);
        Assert.NotEqual(at[50][pressure], at[130][pressure]);
        // Current step of +0.4 V × 10 A/V at 180 s.
        Assert.InRange(at[190][current] - at[179][current], 3.5, 4.5);
        // ADC gone from 200 s to 205 s: held, then bad; back after it returns.
        Assert.Equal(SampleStatus.Good, statusAt[199][current]);
        Assert.Equal(SampleStatus.Bad, statusAt[202][current]);
        Assert.Equal(SampleStatus.Bad, statusAt[204][current]);
        Assert.Equal(SampleStatus.Good, statusAt[209][current]);
        Assert.Equal(SampleStatus.Good, statusAt[209][vib]); // the other chips never noticed
        // Shaft at 49 Hz with 2 pulses per revolution: 1470 rpm. One reading resolves ±1 pulse per 0.5 s
        // window (±60 rpm); the mean over 20 s does not suffer from that quantisation.
        Assert.InRange(at[230][rpm], 1470 - 61, 1470 + 61);
        Assert.InRange(rpmSum / (20 * 100 + 1), 1465, 1475);

        DeviceCounters adc = sampler.Counters.Devices[0];
        Assert.Equal(board.SimulatedBusFaults["adc0"].InjectedFailureCount, adc.Failures);
        Assert.True(adc.Recoveries > 1);
        Assert.Equal(0, sampler.Counters.Devices[1].Failures);
        Assert.Equal(0, sampler.Counters.MissedSamples);
    }

    [Fact]
    public void Pump_house_twin_shows_each_injected_fault_through_the_bindings()
    {
        using SensorBoard board = SensorBoard.Load(Repository.FirmwareConfig("sim-pump-house.json"));
        Assert.Empty(board.StartupErrors);
        int volts = Channel(board, "supply_voltage"), power = Channel(board, "supply_power"), current = Channel(board, "supply_current");
        int flow = Channel(board, "flow_rate"), temperature = Channel(board, "enclosure_temperature");
        var at = new Dictionary<int, float[]>();
        int[] seconds = [899, 930, 961, 1200, 1499, 1650, 1801, 3000];
        while (board.Sampler.Frame.Sequence < 3000 * 10 && board.Sampler.WaitAndSample())
        {
            long seq = board.Sampler.Frame.Sequence;
            Assert.All(board.Sampler.Frame.Statuses.ToArray(), s => Assert.Equal(SampleStatus.Good, s));
            if (seq % 10 == 0 && seconds.Contains((int)(seq / 10)))
            {
                at[(int)(seq / 10)] = board.Sampler.Frame.Values.ToArray();
            }
        }

        // Supply sag of 2.5 V from 900 s to 960 s (INA219 bus voltage, 4 mV LSB); the chip's power register follows.
        Assert.InRange(at[899][volts] - at[930][volts], 2.0, 3.0);
        Assert.InRange(at[961][volts], 23.5, 24.5);
        Assert.InRange(at[930][power] / (at[930][current] * at[930][volts]), 0.98, 1.02);
        // Flow drop of 0.3 V × 30.303 m3/h per V from 1500 s to 1800 s (MCP3008, 10 bits).
        Assert.InRange(at[1499][flow] - at[1650][flow], 7, 11);
        Assert.InRange(at[1801][flow], 43, 48);
        // Enclosure temperature drifting by 0.01 °C/s from 2400 s: +6 °C at 3000 s against 1200 s, one 30-minute cycle earlier.
        Assert.InRange(at[3000][temperature] - at[1200][temperature], 5.8, 6.2);
        Assert.Equal(0, board.Sampler.Counters.MissedSamples);
    }

    [Fact]
    public void Alarm_output_of_a_simulated_board_drives_the_simulated_pin()
    {
        using SensorBoard board = SensorBoard.Load(Repository.FirmwareConfig("sim-synthetic-faults.json"));
        AlarmOutput alarm = Assert.IsType<AlarmOutput>(board.Alarm);
        Assert.Equal(PinValue.Low, board.SimulatedGpio!.OutputValue(27));
        alarm.Set(true);
        Assert.Equal(PinValue.High, board.SimulatedGpio.OutputValue(27));
    }

    [Fact]
    public void Replay_board_replays_the_committed_skab_recording()
    {
        using SensorBoard board = SensorBoard.Load(Repository.FirmwareConfig("sim-skab-replay.json"));
        var currents = new List<float>();
        board.Sampler.Run(f => currents.Add(f.Values[2]), CancellationToken.None);
        Assert.Equal(0.91393f, currents[0]); // first row of valve1/5.csv
        Assert.Equal(1154, currents.Count);   // one sample per row (sequential timing)
    }

    [Fact]
    public void Real_board_without_its_chips_starts_degraded_and_keeps_sampling()
    {
        // A build machine has no /dev/i2c-1 or /dev/spidev0.0. The BME280 and INA219 bindings talk to the chip
        // when constructed, so they fail at start-up; the MCP3008 binding does not, so it fails at its first read.
        Assert.False(File.Exists("/dev/i2c-1"), "this test needs a machine without I2C hardware");
        var clock = new ManualClock();
        using SensorBoard board = SensorBoard.Load(Repository.FirmwareConfig("pi5-env-power.json"), clock);
        Assert.Equal(["enclosure", "supply"], board.StartupErrors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        for (int i = 0; i < 20; i++)
        {
            Assert.True(board.Sampler.WaitAndSample());
        }

        Assert.True(board.Sampler.Frame.IsDegraded);
        Assert.All(board.Sampler.Frame.Statuses.ToArray(), s => Assert.Equal(SampleStatus.Bad, s));
        Assert.All(board.Sampler.Counters.Devices, d => Assert.True(d.Failures > 0 && d.SkippedByBackoff > 0, d.Name));
        Assert.Equal(20, board.Sampler.Counters.Samples);
    }

    [Fact]
    public void Real_board_whose_alarm_pin_cannot_be_opened_refuses_to_start_with_a_clear_message()
    {
        Assert.False(Directory.EnumerateFiles("/dev", "gpiochip*").Any(), "this test needs a machine without GPIO");
        var ex = Assert.Throws<IOException>(() => SensorBoard.Load(Repository.FirmwareConfig("pi4-pump-monitor.json"), new ManualClock()));
        Assert.Contains("alarm output on GPIO 27 could not be opened", ex.Message, StringComparison.Ordinal);
        Assert.Contains("remove \"alarm\"", ex.Message, StringComparison.Ordinal);
    }
}
