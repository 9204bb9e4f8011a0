using System.Device.I2c;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Ads1115;

namespace EdgeLstm.Sensors.Tests.Devices;

public class CsvSampleWriterTests
{
    /// <summary>An ADS1115 (two channels) that drops off the bus between 0.10 s and 0.20 s at 100 Hz, hold limit 3.</summary>
    private static Sampler FlakyAdsSampler(ManualClock clock)
    {
        var chip = new SimulatedAds1115(new I2cConnectionSettings(1, 0x48), clock,
            new SumSignal(new SineSignal(1, 0.2, 3), new NoiseSignal(0.01, 7)), new ConstantSignal(0.5), new ConstantSignal(0), new ConstantSignal(0));
        chip.Faults.DisconnectedFromNanoseconds = 100_000_000;
        chip.Faults.DisconnectedUntilNanoseconds = 200_000_000;
        return new Sampler([new SamplerSource(new Ads1115Device("adc", new Ads1115(chip, deviceMode: DeviceMode.PowerDown), [InputMultiplexer.AIN0, InputMultiplexer.AIN1], MeasuringRange.FS4096, DataRate.SPS860),
                [new ChannelSpec("current", "A", Scale: 10), new ChannelSpec("pressure", "bar", Scale: 2.5, Offset: -1.25)])],
            new SamplerOptions { RateHz = 100, HoldLimit = 3, MaxBackoffSamples = 2 }, clock);
    }

    [Fact]
    public void Rows_read_back_as_a_recording_with_good_values_exact_and_the_rest_empty()
    {
        var clock = new ManualClock();
        using Sampler sampler = FlakyAdsSampler(clock);
        using var stream = new MemoryStream();
        var expected = new List<(float[] Values, SampleStatus[] Statuses)>();
        using (var writer = new CsvSampleWriter(stream, sampler.Channels, leaveOpen: true))
        {
            for (int i = 0; i < 40; i++)
            {
                Assert.True(sampler.WaitAndSample());
                writer.Write(sampler.Frame, 0);
                expected.Add((sampler.Frame.Values.ToArray(), sampler.Frame.Statuses.ToArray()));
            }

            Assert.Equal(40, writer.Rows);
        }

        string text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.StartsWith("time,current,pressure\n0,", text, StringComparison.Ordinal);
        CsvRecording rec = CsvRecording.Parse("recorded.csv", text, timeColumn: CsvSampleWriter.TimeColumn);
        Assert.Equal(["current", "pressure"], rec.ColumnNames);
        Assert.Equal(40, rec.RowCount);
        Assert.Equal(0.39, rec.TimesSeconds[39], 12);
        Assert.Contains(expected, e => e.Statuses.Contains(SampleStatus.Held));
        Assert.Contains(expected, e => e.Statuses.Contains(SampleStatus.Bad));
        for (int row = 0; row < rec.RowCount; row++)
        {
            for (int c = 0; c < 2; c++)
            {
                if (expected[row].Statuses[c] == SampleStatus.Good)
                {
                    Assert.Equal(expected[row].Values[c], rec[row, c]); // shortest round-trip: bit-exact
                }
                else
                {
                    Assert.True(float.IsNaN(rec[row, c]), $"row {row} channel {c} was {expected[row].Statuses[c]} but reads {rec[row, c]}");
                }
            }
        }
    }

    [Fact]
    public void Writing_a_row_allocates_nothing()
    {
        var clock = new ManualClock();
        using Sampler sampler = FlakyAdsSampler(clock);
        using var writer = new CsvSampleWriter(Stream.Null, sampler.Channels);
        for (int i = 0; i < 50; i++)
        {
            sampler.WaitAndSample();
            writer.Write(sampler.Frame, 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            writer.Write(sampler.Frame, 0); // the same good frame: the disconnect allocates exceptions, the writer must not
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("flow,rate")]
    [InlineData("level;m")]
    [InlineData("\"q\"")]
    [InlineData("time")]
    public void A_channel_name_that_cannot_be_a_column_is_refused(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CsvSampleWriter(Stream.Null, [new ChannelSpec(name)]));
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }
}
