using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Tests.Devices;

public class CsvReplayDeviceTests
{
    private static Sampler ReplaySampler(CsvRecording rec, MonotonicClock clock, ReplayTiming timing, double rateHz, bool loop = false, double speed = 1, int holdLimit = 2)
    {
        int current = rec.IndexOf("Current");
        int pressure = rec.IndexOf("Pressure");
        var device = new CsvReplayDevice("skab", rec, [current, pressure], timing, speed, loop);
        return new Sampler([new SamplerSource(device, [new ChannelSpec("Current", "A"), new ChannelSpec("Pressure", "bar")])],
            new SamplerOptions { RateHz = rateHz, HoldLimit = holdLimit }, clock);
    }

    [Fact]
    public void Sequential_replay_yields_every_row_then_stops()
    {
        var rec = CsvRecording.Load(Fixtures.Path("skab/valve1-0-head.csv"));
        var clock = new ManualClock();
        using var sampler = ReplaySampler(rec, clock, ReplayTiming.Sequential, 1000);
        var seen = new List<float>();
        sampler.Run(f => seen.Add(f.Values[0]), CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, rec.RowCount).Select(r => rec[r, rec.IndexOf("Current")]), seen);
        Assert.True(sampler.IsExhausted);
        Assert.Equal(rec.RowCount, sampler.Counters.Samples);
        Assert.Equal(0, sampler.Counters.DegradedSamples);
    }

    [Theory]
    [InlineData(ReplayTiming.Sequential)]
    [InlineData(ReplayTiming.Recorded)]
    public void The_end_of_a_replay_is_the_end_of_the_input_not_a_read_error(ReplayTiming timing)
    {
        var rec = CsvRecording.Load(Fixtures.Path("skab/valve1-0-head.csv"));
        using var sampler = ReplaySampler(rec, new ManualClock(), timing, rateHz: 1);
        var frames = new List<(float Current, SampleStatus Status)>();
        sampler.Run(f => frames.Add((f.Values[0], f.Statuses[0])), CancellationToken.None);

        // The last row arrives as a normal sample; the read that finds nothing after it ends the input.
        Assert.Equal((rec[rec.RowCount - 1, rec.IndexOf("Current")], SampleStatus.Good), frames[^1]);
        Assert.True(sampler.IsExhausted);
        Assert.False(sampler.WaitAndSample());
        Assert.False(sampler.SampleNow());
        Assert.Equal(frames.Count, sampler.Counters.Samples);
        Assert.All(sampler.Counters.Channels, c => Assert.Equal((0L, 0L, 0L), (c.ReadErrors, c.InvalidValues, c.BadSamples)));
        Assert.Equal((0L, 0L), (sampler.Counters.Devices[0].Failures, sampler.Counters.Devices[0].Recoveries));
    }

    [Fact]
    public void Missing_values_up_to_the_last_row_are_counted_but_the_end_is_not()
    {
        var rec = CsvRecording.Parse("mem.csv", "t;Current;Pressure\n0;1;10\n1;;20\n2;3;NaN\n");
        using var sampler = ReplaySampler(rec, new ManualClock(), ReplayTiming.Sequential, rateHz: 1);
        sampler.Run(_ => { }, CancellationToken.None);
        Assert.Equal(3, sampler.Counters.Samples);
        Assert.Equal([SampleStatus.Good, SampleStatus.Held], sampler.Frame.Statuses.ToArray()); // the last row, its NaN held
        Assert.Equal([3f, 20f], sampler.Frame.Values.ToArray());
        Assert.Equal([1L, 1L], sampler.Counters.Channels.Select(c => c.InvalidValues));
        Assert.Equal([0L, 0L], sampler.Counters.Channels.Select(c => c.ReadErrors));
    }

    [Fact]
    public void A_sensor_failing_during_a_replay_is_still_counted()
    {
        var rec = CsvRecording.Load(Fixtures.Path("skab/valve1-0-head.csv"));
        var replay = new CsvReplayDevice("skab", rec, [rec.IndexOf("Current")], ReplayTiming.Sequential);
        var flaky = new FlakyDevice(failingReads: 10..13);
        using var sampler = new Sampler(
            [new SamplerSource(replay, [new ChannelSpec("Current", "A")]), new SamplerSource(flaky, [new ChannelSpec("probe")])],
            new SamplerOptions { RateHz = 1, HoldLimit = 2 }, new ManualClock());
        sampler.Run(_ => { }, CancellationToken.None);
        Assert.Equal(rec.RowCount, sampler.Counters.Samples);
        DeviceCounters device = sampler.Counters.Devices[1];
        Assert.Equal((3L, 1L), (device.Failures, device.Recoveries));
        Assert.Equal(device.Failures + device.SkippedByBackoff, sampler.Counters.Channels[1].ReadErrors);
        Assert.Equal((0L, 0L), (sampler.Counters.Channels[0].ReadErrors, sampler.Counters.Channels[0].InvalidValues));
    }

    [Fact]
    public void Recorded_timing_holds_then_degrades_through_a_gap_and_resumes()
    {
        var rec = CsvRecording.Load(Fixtures.Path("skab/other-2-gap.csv"));
        var clock = new ManualClock();
        using var sampler = ReplaySampler(rec, clock, ReplayTiming.Recorded, rateHz: 1, holdLimit: 2);
        var statuses = new List<SampleStatus>();
        while (sampler.WaitAndSample())
        {
            statuses.Add(sampler.Frame.Statuses[0]);
        }

        // Rows at t = 0…20 s (16:29:51 missing: jitter, not a gap), nothing from 20 s to 267 s, then rows again.
        // A row stays fresh for less than 1.5 median intervals, so t = 21 s still shows the 20 s row.
        Assert.Equal(267.0, rec.TimesSeconds[20]);
        Assert.Equal((int)rec.TimesSeconds[^1] + 1, statuses.Count);
        Assert.All(statuses.Take(22), s => Assert.Equal(SampleStatus.Good, s));
        Assert.Equal([SampleStatus.Held, SampleStatus.Held], statuses.Skip(22).Take(2));
        Assert.All(statuses.Skip(24).Take(267 - 24), s => Assert.Equal(SampleStatus.Bad, s));
        Assert.All(statuses.Skip(267), s => Assert.Equal(SampleStatus.Good, s));
        Assert.Equal(267 - 22, sampler.Counters.DegradedSamples); // held or bad: degraded
    }

    [Fact]
    public void Real_time_clock_paces_the_replay_at_the_requested_speed()
    {
        // The excerpt spans (last time + one 1 s interval) = 41 s; at 200× speed that is 0.205 s: 82 grid points
        // at 400 Hz. Each is sampled or counted as missed, however busy the machine (a stall near the end may count
        // a few missed points past it, and the point exactly at the end may go either way in floating point); no
        // sample lies past the end; and pacing means no read starts before its grid point.
        var rec = CsvRecording.Load(Fixtures.Path("skab/valve1-0-head.csv"));
        using var sampler = ReplaySampler(rec, new SystemMonotonicClock(), ReplayTiming.Recorded, rateHz: 400, speed: 200);
        bool everEarly = false;
        long first = long.MinValue;
        while (sampler.WaitAndSample())
        {
            first = first == long.MinValue ? sampler.Frame.TimestampNanoseconds : first;
            everEarly |= sampler.Frame.ReadStartedNanoseconds < sampler.Frame.TimestampNanoseconds;
        }

        long gridPoints = (long)Math.Round((rec.TimesSeconds[^1] + rec.MedianIntervalSeconds) / 200 * 400);
        Assert.Equal(82, gridPoints);
        Assert.True(sampler.Counters.Samples + sampler.Counters.MissedSamples >= gridPoints - 1, "grid points went unaccounted for");
        Assert.InRange(sampler.Frame.TimestampNanoseconds - first, 0, gridPoints * 2_500_000);
        Assert.False(everEarly, "a read started before its grid point: the clock did not pace the replay");
    }

    [Fact]
    public void Rows_sharing_a_time_are_refused_for_recorded_timing_with_file_and_line()
    {
        // Before: a zero median interval made every read a "gap" (and a loop of zero length), so the channels went bad for good.
        var rec = CsvRecording.Parse("same.csv", "t;Current;Pressure\n5;1;10\n5;2;20\n5;3;30\n");
        IReadOnlyList<string> problems = rec.NonIncreasingTimes();
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("same.csv:3:1: the time repeats that of line 2", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("same.csv:4:1: the time repeats that of line 3", problems[1], StringComparison.Ordinal);
        Assert.Contains("Hint: use \"timing\": \"sequential\"", problems[0], StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(() => ReplaySampler(rec, new ManualClock(), ReplayTiming.Recorded, rateHz: 1, loop: true));
        Assert.Contains("same.csv:3:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_at_second_resolution_sampled_faster_are_refused_at_the_first_repeat()
    {
        // 2 Hz logged with whole seconds: half the intervals are zero, so the median interval is zero.
        var rec = CsvRecording.Parse("coarse.csv", "t,Current,Pressure\r\n0,1,10\r\n0,2,20\r\n1,3,30\r\n1,4,40\r\n2,5,50\r\n2,6,60\r\n");
        Assert.Equal(["coarse.csv:3:1", "coarse.csv:5:1", "coarse.csv:7:1"], rec.NonIncreasingTimes().Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Rows_sharing_a_time_replay_sequentially_and_loop()
    {
        var rec = CsvRecording.Parse("same.csv", "t;Current;Pressure\n5;1;10\n5;2;20\n5;3;30\n");
        using var sampler = ReplaySampler(rec, new ManualClock(), ReplayTiming.Sequential, rateHz: 1, loop: true);
        var seen = new List<(float, SampleStatus)>();
        for (int i = 0; i < 7; i++)
        {
            Assert.True(sampler.WaitAndSample());
            seen.Add((sampler.Frame.Values[1], sampler.Frame.Statuses[1]));
        }

        Assert.Equal([10f, 20f, 30f, 10f, 20f, 30f, 10f], seen.Select(s => s.Item1));
        Assert.All(seen, s => Assert.Equal(SampleStatus.Good, s.Item2));
    }

    [Fact]
    public void A_single_row_recording_loops_on_recorded_timing()
    {
        var rec = CsvRecording.Parse("one.csv", "t;Current;Pressure\n0;1;10\n");
        Assert.Empty(rec.NonIncreasingTimes());
        using var sampler = ReplaySampler(rec, new ManualClock(), ReplayTiming.Recorded, rateHz: 2, loop: true);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(sampler.WaitAndSample());
            Assert.NotEqual(SampleStatus.Bad, sampler.Frame.Statuses[0]);
        }

        Assert.Equal(0, sampler.Counters.Channels[0].BadSamples);
    }

    [Fact]
    public void Looping_replay_starts_over()
    {
        var rec = CsvRecording.Parse("mem.csv", "t;Current;Pressure\n0;1;10\n1;2;20\n2;3;30\n");
        var clock = new ManualClock();
        using var sampler = ReplaySampler(rec, clock, ReplayTiming.Recorded, rateHz: 1, loop: true);
        var seen = new List<float>();
        for (int i = 0; i < 7; i++)
        {
            sampler.WaitAndSample();
            seen.Add(sampler.Frame.Values[1]);
        }

        Assert.Equal([10f, 20f, 30f, 10f, 20f, 30f, 10f], seen);
        Assert.False(sampler.IsExhausted);
    }

    [Fact]
    public void Missing_values_in_a_recording_are_held()
    {
        var rec = CsvRecording.Parse("mem.csv", "t;Current;Pressure\n0;1;10\n1;;20\n2;3;NaN\n");
        var clock = new ManualClock();
        using var sampler = ReplaySampler(rec, clock, ReplayTiming.Sequential, rateHz: 1);
        sampler.WaitAndSample();
        sampler.WaitAndSample();
        Assert.Equal(SampleStatus.Held, sampler.Frame.Statuses[0]);
        Assert.Equal(1f, sampler.Frame.Values[0]);
        sampler.WaitAndSample();
        Assert.Equal(SampleStatus.Held, sampler.Frame.Statuses[1]);
        Assert.Equal(20f, sampler.Frame.Values[1]);
        Assert.Equal(1, sampler.Counters.Channels[0].InvalidValues);
    }

    public static TheoryData<string> SkabFiles()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Repository.SkabDataset, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.SkabDataset, f));
        }

        return data;
    }

    [Fact]
    public void The_whole_skab_dataset_is_in_the_repository()
    {
        Assert.Equal(35, SkabFiles().Count);
    }

    [Theory]
    [MemberData(nameof(SkabFiles))]
    public void Full_skab_file_replays_every_row_in_recorded_time(string file)
    {
        string path = Path.Combine(Repository.SkabDataset, file);
        int lines = File.ReadAllLines(path).Count(l => l.Length > 0);
        var rec = CsvRecording.Load(path);
        Assert.Equal(lines - 1, rec.RowCount);
        var clock = new ManualClock();
        using var sampler = ReplaySampler(rec, clock, ReplayTiming.Recorded, rateHz: 1, holdLimit: 1);
        int current = rec.IndexOf("Current");
        long good = 0, expectedGood = 0;
        int row = 0;
        for (long k = 0; sampler.WaitAndSample(); k++)
        {
            // Independent statement of the rule: the latest row at or before t is fresh if under 1.5 s old.
            while (row + 1 < rec.RowCount && rec.TimesSeconds[row + 1] <= k)
            {
                row++;
            }

            bool fresh = k - rec.TimesSeconds[row] < 1.5;
            expectedGood += fresh ? 1 : 0;
            if (sampler.Frame.Statuses[0] == SampleStatus.Good)
            {
                good++;
                Assert.Equal(rec[row, current], sampler.Frame.Values[0]);
            }
        }

        Assert.Equal(expectedGood, good);
        Assert.Equal((long)Math.Round(rec.TimesSeconds[^1]) + 1, sampler.Counters.Samples); // one sample per second of recording
        Assert.Equal(rec.RowCount - 1, row);
    }

    /// <summary>A one-channel sensor whose reads throw (an I2C NACK) for the read numbers in a range, and read 1 otherwise.</summary>
    private sealed class FlakyDevice(Range failingReads) : SensorDevice("probe", 1)
    {
        private int _reads;

        public override void Read(long timestampNanoseconds, Span<float> values)
        {
            int read = _reads++;
            if (read >= failingReads.Start.Value && read < failingReads.End.Value)
            {
                throw new IOException("Simulated NACK");
            }

            values[0] = 1;
        }
    }
}
