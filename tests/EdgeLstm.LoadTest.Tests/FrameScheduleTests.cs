using EdgeLstm.LoadTest.Boards;

namespace EdgeLstm.LoadTest.Tests;

public sealed class FrameScheduleTests
{
    [Fact]
    public void At_10_Hz_a_Health_comes_every_100_ticks_and_an_Alarm_every_5000()
    {
        var schedule = new FrameSchedule(rateHz: 10, phase: 0);
        TickExtras[] ticks = [.. Enumerable.Range(0, 100_000).Select(t => schedule.ExtrasAt(t))];
        Assert.Equal(1000, ticks.Count(t => t.HasFlag(TickExtras.Health)));
        Assert.Equal(20, ticks.Count(t => t.HasFlag(TickExtras.Alarm)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(50)]
    public void Health_is_every_10_seconds_whatever_the_rate(double rateHz)
    {
        var schedule = new FrameSchedule(rateHz, phase: 3);
        Assert.Equal((long)(rateHz * FrameSchedule.HealthPeriodSeconds), schedule.HealthEvery);
    }

    [Fact]
    public void Phases_spread_the_fleets_Health_over_the_period()
    {
        // 1000 boards at 10 Hz: on any one tick only a few send a Health, not all 1000.
        FrameSchedule[] fleet = [.. Enumerable.Range(0, 1000).Select(i => new FrameSchedule(10, i * 7919L))];
        int mostOnOneTick = Enumerable.Range(0, 100).Max(t => fleet.Count(s => s.ExtrasAt(t).HasFlag(TickExtras.Health)));
        Assert.InRange(mostOnOneTick, 1, 30);
    }

    [Fact]
    public void A_rate_below_one_tenth_Hz_still_sends_Health_every_tick() => Assert.Equal(1, new FrameSchedule(0.05, 0).HealthEvery);
}
