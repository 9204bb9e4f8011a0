using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Ads1115;

namespace EdgeLstm.Sensors.Tests;

/// <summary>A device whose read blocks (a stuck I2C bus) is abandoned at its deadline; the other channels keep their rate.</summary>
public class ReadDeadlineTests
{
    private const long Period = 10_000_000; // 100 Hz
    private const int HoldLimit = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60); // a hang fails the test instead of stalling the run

    private static SimulatedAds1115 Chip(MonotonicClock clock, int address, Signal ain0) =>
        new(new I2cConnectionSettings(1, address), clock, ain0, new ConstantSignal(0.5), new ConstantSignal(0), new ConstantSignal(0));

    private static SamplerSource Source(string name, SimulatedAds1115 chip) =>
        new(new Ads1115Device(name, new Ads1115(chip, deviceMode: DeviceMode.PowerDown), [InputMultiplexer.AIN0, InputMultiplexer.AIN1], MeasuringRange.FS4096, DataRate.SPS860),
            [new ChannelSpec($"{name}0", "V"), new ChannelSpec($"{name}1", "V")], ReadCanBlock: true);

    /// <summary>Channels 0–1: the healthy chip; 2–3: the chip whose bus hangs.</summary>
    private static Sampler TwoChips(MonotonicClock clock, SimulatedAds1115 healthy, SimulatedAds1115 stuck, double rateHz = 100) =>
        new([Source("ok", healthy), Source("stuck", stuck)], new SamplerOptions { RateHz = rateHz, HoldLimit = HoldLimit, ReadDeadline = Deadline }, clock);

    private static void Guarded(Action run) => Assert.True(Task.Run(run).Wait(HangGuard), "the sampler hung");

    [Fact]
    public void A_read_that_blocks_forever_is_abandoned_and_the_other_channels_keep_their_rate()
    {
        var clock = new ManualClock();
        SimulatedAds1115 healthy = Chip(clock, 0x48, new SineSignal(1, 0.2, 1)), stuck = Chip(clock, 0x49, new ConstantSignal(2));
        stuck.Faults.BlockedFromNanoseconds = 100 * Period; // the bus hangs at 1 s and never recovers
        using var sampler = TwoChips(clock, healthy, stuck);
        long allocated = 0;
        var statuses = new (SampleStatus Ok, SampleStatus Stuck)[500]; // allocated up front: the loop measures allocation
        long[] timestamps = new long[500];
        try
        {
            Guarded(() =>
            {
                for (int i = 0; i < 500; i++)
                {
                    if (i == 150)
                    {
                        allocated = GC.GetAllocatedBytesForCurrentThread(); // the skipping of a busy device, measured
                    }

                    if (!sampler.WaitAndSample())
                    {
                        return;
                    }

                    timestamps[i] = sampler.Frame.TimestampNanoseconds;
                    statuses[i] = (sampler.Frame.Statuses[0], sampler.Frame.Statuses[2]);
                }

                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            });
        }
        finally
        {
            stuck.Faults.BlockedUntilNanoseconds = 0; // release the hung read so the reader thread can end
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * Period), timestamps); // on the grid: the rate is kept
        Assert.Equal(500, statuses.Count(s => s.Ok == SampleStatus.Good)); // every sample of the healthy chip is fresh
        Assert.All(statuses.Take(100), s => Assert.Equal(SampleStatus.Good, s.Stuck));
        Assert.All(statuses.Skip(100).Take(HoldLimit), s => Assert.Equal(SampleStatus.Held, s.Stuck));
        Assert.All(statuses.Skip(100 + HoldLimit), s => Assert.Equal(SampleStatus.Bad, s.Stuck));

        DeviceCounters device = sampler.Counters.Devices[1];
        Assert.Equal((1L, 399L, 0L), (device.Timeouts, device.SkippedWhileBusy, device.Failures)); // one wait, then skipped without waiting
        Assert.Contains("50 ms deadline", device.LastError, StringComparison.Ordinal);
        Assert.Equal([0L, 0L, 400L, 400L], sampler.Counters.Channels.Select(c => c.Timeouts));
        Assert.Equal([0L, 0L, 400L, 400L], sampler.Counters.Channels.Select(c => c.ReadErrors));
        Assert.Equal(800, sampler.Counters.ChannelTimeouts);
        Assert.Equal(1, stuck.Faults.BlockedTransactionCount);
        Assert.Equal(0, sampler.Counters.Devices[0].Timeouts);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_read_that_blocks_for_five_seconds_recovers_by_itself_when_it_returns()
    {
        var clock = new ManualClock();
        SimulatedAds1115 healthy = Chip(clock, 0x48, new ConstantSignal(1)), stuck = Chip(clock, 0x49, new ConstantSignal(2));
        stuck.Faults.BlockedFromNanoseconds = 100 * Period; // 1 s to 6 s of board time
        stuck.Faults.BlockedUntilNanoseconds = 600 * Period;
        using var sampler = TwoChips(clock, healthy, stuck);
        var stuckStatus = new List<SampleStatus>();
        int okGood = 0;
        Guarded(() =>
        {
            // The blocked read returns once the reader thread sees the clock at 6 s (it polls); sample until the device is
            // back, then 100 samples more. On the fast clock that takes milliseconds, whatever the machine does.
            int afterRecovery = 0;
            while (afterRecovery < 100)
            {
                Assert.True(sampler.WaitAndSample());
                stuckStatus.Add(sampler.Frame.Statuses[2]);
                okGood += sampler.Frame.Statuses[0] == SampleStatus.Good ? 1 : 0;
                if (sampler.Counters.Devices[1].Recoveries > 0)
                {
                    afterRecovery++;
                }
            }
        });

        int firstGoodAgain = stuckStatus.FindIndex(100, s => s == SampleStatus.Good);
        Assert.True(firstGoodAgain >= 600, $"fresh values at sample {firstGoodAgain}, while the bus still hung");
        Assert.All(stuckStatus.Take(100), s => Assert.Equal(SampleStatus.Good, s));
        Assert.All(stuckStatus.Skip(100).Take(HoldLimit), s => Assert.Equal(SampleStatus.Held, s));
        Assert.All(stuckStatus.Skip(100 + HoldLimit).Take(firstGoodAgain - 100 - HoldLimit), s => Assert.Equal(SampleStatus.Bad, s));
        Assert.All(stuckStatus.Skip(firstGoodAgain), s => Assert.Equal(SampleStatus.Good, s));
        Assert.Equal(stuckStatus.Count, okGood);

        DeviceCounters device = sampler.Counters.Devices[1];
        Assert.Equal((1L, 1L, 0), (device.Timeouts, device.Recoveries, device.ConsecutiveFailures));
        Assert.Equal(firstGoodAgain - 100, sampler.Counters.Channels[2].Timeouts); // the abandoned sample and every skipped one
        Assert.Equal(device.Timeouts + device.SkippedWhileBusy, sampler.Counters.Channels[2].Timeouts);
        Assert.InRange(sampler.Frame.Values[2], 2 - 0.001, 2 + 0.001);
    }

    [Fact]
    public void A_device_that_dies_during_a_fault_is_held_then_marked_bad_and_counted()
    {
        // The signal steps at 1 s (the fault the model should see); the chip stops answering at 1.5 s, in the middle of it.
        var clock = new ManualClock();
        SimulatedAds1115 healthy = Chip(clock, 0x48, new ConstantSignal(1));
        SimulatedAds1115 dying = Chip(clock, 0x49, new SumSignal(new ConstantSignal(1), new StepFault(1.0, 1.5)));
        dying.Faults.DisconnectedFromNanoseconds = 150 * Period;
        using var sampler = TwoChips(clock, healthy, dying);
        var frames = new List<(SampleStatus Status, float Value)>();
        Guarded(() =>
        {
            for (int i = 0; i < 300; i++)
            {
                Assert.True(sampler.WaitAndSample());
                frames.Add((sampler.Frame.Statuses[2], sampler.Frame.Values[2]));
            }
        });

        Assert.All(frames.Skip(100).Take(50), f => Assert.Equal(SampleStatus.Good, f.Status)); // the fault, read live
        Assert.InRange(frames[149].Value, 2.5 - 0.001, 2.5 + 0.001);
        Assert.All(frames.Skip(150).Take(HoldLimit), f => Assert.Equal((SampleStatus.Held, frames[149].Value), f));
        Assert.All(frames.Skip(150 + HoldLimit), f => Assert.Equal(SampleStatus.Bad, f.Status)); // never good again on stale data
        Assert.True(sampler.Counters.Channels[2].BadSamples == 150 - HoldLimit, $"{sampler.Counters.Channels[2].BadSamples} bad samples");
        Assert.Equal(150, sampler.Counters.Channels[2].ReadErrors); // failed reads and backoff skips
        Assert.True(sampler.Counters.Devices[1].Failures > 0);
        Assert.Equal(0, sampler.Counters.Devices[1].Timeouts); // a NACK is an answer: the read returned in time
        Assert.StartsWith("IOException: Simulated NACK", sampler.Counters.Devices[1].LastError, StringComparison.Ordinal);
        Assert.Equal(0, sampler.Counters.Channels[0].ReadErrors);
    }

    [Fact]
    public void On_the_real_time_clock_a_bus_hung_from_the_start_costs_the_other_channels_one_deadline()
    {
        var clock = new SystemMonotonicClock();
        SimulatedAds1115 healthy = Chip(clock, 0x48, new ConstantSignal(1)), stuck = Chip(clock, 0x49, new ConstantSignal(2));
        using var sampler = TwoChips(clock, healthy, stuck);
        stuck.Faults.Blocked = true; // after the binding's constructor, which talks to the chip
        int samples = 0;
        try
        {
            Guarded(() =>
            {
                for (; samples < 100; samples++)
                {
                    Assert.True(sampler.WaitAndSample());
                    Assert.Equal(SampleStatus.Good, sampler.Frame.Statuses[0]);
                }
            });
        }
        finally
        {
            stuck.Faults.Blocked = false;
        }

        // Without the deadline the first read would never return. With it, the 50 ms wait costs about five 10 ms periods
        // once; the bound is generous for a loaded machine.
        Assert.Equal(100, samples);
        Assert.True(sampler.Counters.MissedSamples < 50, $"{sampler.Counters.MissedSamples} samples missed");
        Assert.Equal((1L, 99L), (sampler.Counters.Devices[1].Timeouts, sampler.Counters.Devices[1].SkippedWhileBusy));
    }

    [Fact]
    public void Disposing_a_sampler_while_a_read_is_blocked_returns_and_leaves_the_device_alone()
    {
        var clock = new ManualClock();
        SimulatedAds1115 healthy = Chip(clock, 0x48, new ConstantSignal(1)), stuck = Chip(clock, 0x49, new ConstantSignal(2));
        var sampler = TwoChips(clock, healthy, stuck);
        stuck.Faults.Blocked = true;
        Guarded(() =>
        {
            Assert.True(sampler.WaitAndSample());
            sampler.Dispose(); // must not wait for the hung read, nor dispose the driver under it
        });
        Assert.Equal(1, sampler.Counters.Devices[1].Timeouts);
        stuck.Faults.Blocked = false; // the read returns on its background thread and the thread ends with the process
    }

    [Fact]
    public void Read_deadline_defaults_to_one_period_between_50_ms_and_1_s()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), new SamplerOptions { RateHz = 1000 }.EffectiveReadDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(100), new SamplerOptions { RateHz = 10 }.EffectiveReadDeadline);
        Assert.Equal(TimeSpan.FromSeconds(1), new SamplerOptions { RateHz = 0.1 }.EffectiveReadDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(7), new SamplerOptions { RateHz = 10, ReadDeadline = TimeSpan.FromMilliseconds(7) }.EffectiveReadDeadline);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplerOptions { RateHz = 10, ReadDeadline = TimeSpan.Zero }.Validate());
    }
}
