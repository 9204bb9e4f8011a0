using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Adc;
using Iot.Device.Ads1115;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors.Tests;

public class SamplerTests
{
    private const long Period = 10_000_000; // 100 Hz

    private static SimulatedAds1115 Ads(ManualClock clock, Signal ain0) =>
        new(new I2cConnectionSettings(1, 0x48), clock, ain0, new ConstantSignal(0.5), new ConstantSignal(0), new ConstantSignal(0));

    private static Sampler AdsSampler(ManualClock clock, SimulatedAds1115 chip, int holdLimit = 3, int maxBackoff = 8, double max = double.PositiveInfinity) =>
        new([new SamplerSource(new Ads1115Device("adc", new Ads1115(chip, deviceMode: DeviceMode.PowerDown), [InputMultiplexer.AIN0, InputMultiplexer.AIN1], MeasuringRange.FS4096, DataRate.SPS860),
                [new ChannelSpec("a0", "V", Maximum: max), new ChannelSpec("a1", "V", Scale: 10, Offset: 1)])],
            new SamplerOptions { RateHz = 100, HoldLimit = holdLimit, MaxBackoffSamples = maxBackoff }, clock);

    [Fact]
    public void Samples_on_the_period_grid_with_scaled_values()
    {
        var clock = new ManualClock(1_000);
        using var sampler = AdsSampler(clock, Ads(clock, new ConstantSignal(1.25)));
        for (int i = 0; i < 10; i++)
        {
            Assert.True(sampler.WaitAndSample());
            Assert.Equal(1_000 + i * Period, sampler.Frame.TimestampNanoseconds);
            Assert.Equal(i, sampler.Frame.Sequence);
        }

        Assert.InRange(sampler.Frame.Values[0], 1.25 - 0.000125, 1.25 + 0.000125);
        Assert.InRange(sampler.Frame.Values[1], 6 - 0.00125, 6 + 0.00125); // 0.5 V · 10 + 1
        Assert.Equal([SampleStatus.Good, SampleStatus.Good], sampler.Frame.Statuses.ToArray());
        Assert.Equal((10, 0, 0), (sampler.Counters.Samples, sampler.Counters.Overruns, sampler.Counters.MissedSamples));
    }

    [Fact]
    public void Slow_bus_counts_overruns_and_missed_samples_and_keeps_the_phase()
    {
        var clock = new ManualClock();
        var chip = Ads(clock, new ConstantSignal(1));
        using var sampler = AdsSampler(clock, chip);
        long before = chip.Faults.TransactionCount;
        Assert.True(sampler.WaitAndSample());
        long transactionsPerSample = chip.Faults.TransactionCount - before;
        // Make one sample (at 1·P) take 2.5 periods of bus time: it ends at 3.5·P.
        chip.Faults.TransactionNanoseconds = (long)(2.5 * Period / transactionsPerSample) + 1;
        Assert.True(sampler.WaitAndSample());
        chip.Faults.TransactionNanoseconds = 0;
        Assert.True(sampler.WaitAndSample());
        Assert.Equal(1, sampler.Counters.Overruns);
        Assert.Equal(2, sampler.Counters.MissedSamples); // the 2·P and 3·P slots
        Assert.Equal(2, sampler.Frame.MissedBefore);
        Assert.Equal(4 * Period, sampler.Frame.TimestampNanoseconds); // back on the grid
        Assert.True(sampler.WaitAndSample());
        Assert.Equal(5 * Period, sampler.Frame.TimestampNanoseconds);
        Assert.Equal(0, sampler.Frame.MissedBefore);
    }

    [Fact]
    public void Bus_failing_every_tenth_transaction_is_counted_held_and_recovered()
    {
        var clock = new ManualClock();
        var chip = Ads(clock, new SineSignal(1, 0.5, 1));
        chip.Faults.FailEveryNthRead = 10;
        using var sampler = AdsSampler(clock, chip);
        int good = 0, held = 0;
        for (int i = 0; i < 500; i++)
        {
            Assert.True(sampler.WaitAndSample());
            Assert.Equal(i * Period, sampler.Frame.TimestampNanoseconds); // the rate never changes
            Assert.NotEqual(SampleStatus.Bad, sampler.Frame.Statuses[0]);
            if (sampler.Frame.Statuses[0] == SampleStatus.Good)
            {
                good++;
                double expected = 1 + 0.5 * Math.Sin(2 * Math.PI * clock.NowSeconds);
                Assert.InRange(sampler.Frame.Values[0], expected - 0.001, expected + 0.001);
            }
            else
            {
                held++;
            }
        }

        DeviceCounters device = sampler.Counters.Devices[0];
        Assert.Equal(chip.Faults.InjectedFailureCount, device.Failures);
        Assert.True(device.Failures > 20, $"only {device.Failures} failures injected");
        Assert.Equal(held, sampler.Counters.Channels[0].HeldSamples);
        Assert.Equal(device.Failures + device.SkippedByBackoff, sampler.Counters.Channels[0].ReadErrors);
        Assert.Equal(500, good + held);
        Assert.Equal(held, sampler.Counters.DegradedSamples); // a held value is an imputed one: the sample is degraded
        Assert.Contains("Simulated NACK", device.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_that_disappears_backs_off_degrades_and_recovers_when_it_returns()
    {
        var clock = new ManualClock();
        var chip = Ads(clock, new ConstantSignal(2));
        chip.Faults.DisconnectedFromNanoseconds = 100 * Period;
        chip.Faults.DisconnectedUntilNanoseconds = 300 * Period;
        using var sampler = AdsSampler(clock, chip, holdLimit: 3, maxBackoff: 8);
        var statusAt = new SampleStatus[400];
        for (int i = 0; i < 400; i++)
        {
            Assert.True(sampler.WaitAndSample());
            statusAt[i] = sampler.Frame.Statuses[0];
            Assert.InRange(sampler.Frame.Values[0], 1.999, 2.001); // the held value throughout
        }

        Assert.All(statusAt[..100], s => Assert.Equal(SampleStatus.Good, s));
        Assert.All(statusAt[100..103], s => Assert.Equal(SampleStatus.Held, s));
        Assert.All(statusAt[103..300], s => Assert.Equal(SampleStatus.Bad, s));
        int firstGood = Array.IndexOf(statusAt, SampleStatus.Good, 300);
        Assert.InRange(firstGood, 300, 300 + 8 + 1); // within one maximal backoff
        Assert.All(statusAt[firstGood..], s => Assert.Equal(SampleStatus.Good, s));

        DeviceCounters device = sampler.Counters.Devices[0];
        Assert.Equal(1, device.Recoveries);
        Assert.Equal(0, device.ConsecutiveFailures);
        Assert.True(device.SkippedByBackoff > device.Failures, "backoff should skip most retries while the device is gone");
        Assert.Equal(firstGood - 100, sampler.Counters.DegradedSamples); // held from sample 100, then bad
    }

    [Fact]
    public void Nan_from_a_sensor_is_held_then_bad_then_good_again()
    {
        var clock = new ManualClock();
        var chip = new SimulatedBme280(new I2cConnectionSettings(1, 0x76), clock,
            new ConstantSignal(21), new InvalidReadingFault(new ConstantSignal(100_000), 10 * Period * 1e-9, 20 * Period * 1e-9), new ConstantSignal(40));
        using var sampler = new Sampler(
            [new SamplerSource(new Bme280Device("env", chip, [Bme280Quantity.Temperature, Bme280Quantity.Pressure]), [new ChannelSpec("t", "°C"), new ChannelSpec("p", "Pa")])],
            new SamplerOptions { RateHz = 100, HoldLimit = 4 }, clock);
        var pStatus = new List<SampleStatus>();
        for (int i = 0; i < 30; i++)
        {
            Assert.True(sampler.WaitAndSample());
            pStatus.Add(sampler.Frame.Statuses[1]);
            Assert.Equal(SampleStatus.Good, sampler.Frame.Statuses[0]); // temperature unaffected
            Assert.Equal(sampler.Frame.IsDegraded, sampler.Frame.Statuses[1] != SampleStatus.Good);
        }

        Assert.Equal(Enumerable.Repeat(SampleStatus.Good, 10), pStatus[..10]);
        Assert.Equal(Enumerable.Repeat(SampleStatus.Held, 4), pStatus[10..14]);
        Assert.Equal(Enumerable.Repeat(SampleStatus.Bad, 6), pStatus[14..20]);
        Assert.Equal(Enumerable.Repeat(SampleStatus.Good, 10), pStatus[20..]);
        Assert.Equal(10, sampler.Counters.Channels[1].InvalidValues);
        Assert.Equal(0, sampler.Counters.Devices[0].Failures);
    }

    [Fact]
    public void Out_of_range_value_counts_as_invalid_and_is_held()
    {
        var clock = new ManualClock();
        using var sampler = AdsSampler(clock, Ads(clock, new SumSignal(new ConstantSignal(1), new StepFault(5 * Period * 1e-9, 3))), max: 3.0);
        for (int i = 0; i < 7; i++)
        {
            sampler.WaitAndSample();
        }

        Assert.Equal(SampleStatus.Held, sampler.Frame.Statuses[0]);
        Assert.InRange(sampler.Frame.Values[0], 0.999, 1.001);
        Assert.Equal(2, sampler.Counters.Channels[0].InvalidValues);
    }

    [Fact]
    public void Channel_never_read_is_bad_not_held()
    {
        var clock = new ManualClock();
        var chip = Ads(clock, new ConstantSignal(1));
        chip.Faults.Disconnected = true;
        Assert.Throws<IOException>(() => AdsSampler(clock, chip)); // the binding talks to the chip when constructed
        chip.Faults.Disconnected = false;
        using var sampler = AdsSampler(clock, chip);
        chip.Faults.Disconnected = true;
        sampler.WaitAndSample();
        Assert.Equal(SampleStatus.Bad, sampler.Frame.Statuses[0]);
        Assert.Equal(0f, sampler.Frame.Values[0]);
        Assert.True(sampler.Frame.IsDegraded);
    }

    [Fact]
    public void Cancelled_wait_returns_false_and_does_not_sample()
    {
        var clock = new ManualClock();
        using var sampler = AdsSampler(clock, Ads(clock, new ConstantSignal(1)));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(sampler.WaitAndSample(cts.Token));
        Assert.Equal(0, sampler.Counters.Samples);
    }

    [Fact]
    public void Mismatched_channel_specs_are_rejected()
    {
        var clock = new ManualClock();
        var device = new Ads1115Device("adc", new Ads1115(Ads(clock, new ConstantSignal(1))), [InputMultiplexer.AIN0], MeasuringRange.FS4096, DataRate.SPS860);
        var ex = Assert.Throws<ArgumentException>(() => new Sampler([new SamplerSource(device, [new ChannelSpec("a"), new ChannelSpec("b")])], new SamplerOptions { RateHz = 10 }, clock));
        Assert.Contains("'adc' produces 1 values but 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the bus devices on their reader threads, under the read deadline, as SensorBoard builds them
    public void Sampling_a_full_simulated_board_allocates_nothing_after_start_up(bool deadlinePath)
    {
        var clock = new ManualClock();
        var gpioDriver = new SimulatedGpioDriver(clock);
        using var gpio = new GpioController(gpioDriver);
        gpioDriver.SetPulseInput(17, new ConstantSignal(40));
        gpioDriver.SetLevelInput(27, new ConstantSignal(1));
        var mpu = new SimulatedMpu6050(new I2cConnectionSettings(1, 0x68), clock, new SineSignal(0, 1, 30), new ConstantSignal(0), new ConstantSignal(9.8), new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(0));
        var ina = new SimulatedIna219(new I2cConnectionSettings(1, 0x40), clock, 0.1, new SineSignal(1, 0.2, 2), new ConstantSignal(12));
        var bme = new SimulatedBme280(new I2cConnectionSettings(1, 0x76), clock, new ConstantSignal(20), new ConstantSignal(100_000), new ConstantSignal(50));
        var mcp = new SimulatedMcp3008(new SpiConnectionSettings(0, 0), clock, 3.3, [.. Enumerable.Range(0, 8).Select(i => (Signal)new ConstantSignal(i * 0.3))]);
        SamplerSource[] sources =
        [
            new(new Ads1115Device("adc", new Ads1115(Ads(clock, new SineSignal(1, 0.1, 5)), deviceMode: DeviceMode.PowerDown), [InputMultiplexer.AIN0, InputMultiplexer.AIN1], MeasuringRange.FS4096, DataRate.SPS860), [new ChannelSpec("a0"), new ChannelSpec("a1")], deadlinePath),
            new(new Mpu6050VibrationDevice("imu", mpu, [new(VibrationAxis.X, VibrationStatistic.Rms), new(VibrationAxis.Magnitude, VibrationStatistic.Peak)], 8), [new ChannelSpec("vib_rms"), new ChannelSpec("vib_peak")], deadlinePath),
            new(new Ina219Device("power", ina, [Ina219Quantity.Current, Ina219Quantity.BusVoltage, Ina219Quantity.Power], 0.1, 3.2), [new ChannelSpec("i"), new ChannelSpec("v"), new ChannelSpec("w")], deadlinePath),
            new(new Bme280Device("env", bme, [Bme280Quantity.Temperature, Bme280Quantity.Pressure, Bme280Quantity.Humidity]), [new ChannelSpec("t"), new ChannelSpec("p"), new ChannelSpec("h")], deadlinePath),
            new(new Mcp3008Device("mcp", new Mcp3008(mcp), [1, 7], 3.3), [new ChannelSpec("m1"), new ChannelSpec("m7")], deadlinePath),
            new(new TachometerDevice("tach", gpio, clock, 17, PinMode.Input, 1, [TachometerQuantity.Rpm], 10), [new ChannelSpec("rpm")]),
            new(new GpioInputDevice("valve", gpio, 27, PinMode.Input, false), [new ChannelSpec("valve")]),
        ];
        // At 100 Hz the default deadline is 50 ms of wall time; a loaded CI machine can hold a reader thread off the CPU
        // that long, and a timed-out read is not what this test is about (ReadDeadlineTests are). 10 s cannot be missed.
        using var sampler = new Sampler(sources, new SamplerOptions { RateHz = 100, ReadDeadline = TimeSpan.FromSeconds(10) }, clock);
        float checksum = 0;
        for (int i = 0; i < 50; i++)
        {
            sampler.WaitAndSample(); // warm-up: JIT, first-call caches
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long readersBefore = sampler.ReaderThreadAllocatedBytes;
        for (int i = 0; i < 2000; i++)
        {
            sampler.WaitAndSample();
            checksum += sampler.Frame.Values[i % sampler.Channels.Count];
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(0, sampler.ReaderThreadAllocatedBytes - readersBefore);
        Assert.Equal([deadlinePath, deadlinePath, deadlinePath, deadlinePath, deadlinePath, false, false], Enumerable.Range(0, 7).Select(sampler.IsReadUnderDeadline));
        Assert.All(sampler.Counters.Devices, d => Assert.Equal(0, d.Timeouts));
        Assert.Equal(1, sampler.Counters.DegradedSamples); // only the first: the tachometer needs two samples for a rate
        Assert.All(sampler.Frame.Statuses.ToArray(), s => Assert.Equal(SampleStatus.Good, s));
        Assert.InRange(sampler.Frame.Values[^2], 2390, 2410); // 40 Hz → 2400 rpm
        Assert.False(float.IsNaN(checksum));
    }

    [Fact]
    public void Real_time_sampling_allocates_nothing_and_stays_on_the_grid()
    {
        // The system clock's wait (sleep, then spin) is on this path too; 200 samples at 2 kHz take 0.1 s.
        var clock = new SystemMonotonicClock();
        var chip = new SimulatedAds1115(new I2cConnectionSettings(1, 0x48), clock, new SineSignal(1, 0.5, 50), new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(0));
        using var sampler = new Sampler([new SamplerSource(new Ads1115Device("adc", new Ads1115(chip, deviceMode: DeviceMode.PowerDown), [InputMultiplexer.AIN0], MeasuringRange.FS4096, DataRate.SPS860), [new ChannelSpec("a0")])],
            new SamplerOptions { RateHz = 2000 }, clock);
        using var cts = new CancellationTokenSource();
        for (int i = 0; i < 20; i++)
        {
            sampler.WaitAndSample(cts.Token);
        }

        long first = sampler.Frame.TimestampNanoseconds;
        long missedAtFirst = sampler.Counters.MissedSamples;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            Assert.True(sampler.WaitAndSample(cts.Token));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // Grid, not speed: every timestamp is the first plus a whole number of periods, whatever the machine did.
        Assert.Equal(0, (sampler.Frame.TimestampNanoseconds - first) % 500_000);
        Assert.True(sampler.Frame.ReadStartedNanoseconds >= sampler.Frame.TimestampNanoseconds, "read before its grid point");
        Assert.Equal(200, (sampler.Frame.TimestampNanoseconds - first) / 500_000 - (sampler.Counters.MissedSamples - missedAtFirst));
    }

    [Fact]
    public async Task Cancelling_interrupts_a_long_real_time_wait()
    {
        var clock = new SystemMonotonicClock();
        using var sampler = new Sampler([new SamplerSource(new Ads1115Device("adc", new Ads1115(Ads(new ManualClock(), new ConstantSignal(1))), [InputMultiplexer.AIN0], MeasuringRange.FS4096, DataRate.SPS860), [new ChannelSpec("a0")])],
            new SamplerOptions { RateHz = 0.001 }, clock); // one sample every 1000 s
        Assert.True(sampler.WaitAndSample()); // the first sample is immediate
        using var cts = new CancellationTokenSource();
        var waiter = Task.Run(() => sampler.WaitAndSample(cts.Token));
        cts.CancelAfter(100); // most likely inside the 1000 s wait by then; either way the call must return false
        bool sampled = await waiter.WaitAsync(TimeSpan.FromMinutes(5)); // a hang guard, not a speed check
        Assert.False(sampled);
        Assert.Equal(1, sampler.Counters.Samples);
    }
}
