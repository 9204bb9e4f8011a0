using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Runtime;

namespace EdgeLstm.Evaluate.Tests;

public class AlarmTimelineTests
{
    [Fact]
    public void No_changes_means_no_alarm_anywhere()
    {
        Assert.Equal(new bool[4], AlarmTimeline.Reconstruct(4, []));
    }

    [Fact]
    public void A_raise_turns_its_own_row_on_and_a_clear_turns_its_own_row_off()
    {
        bool[] state = AlarmTimeline.Reconstruct(8, [new TracedAlarmChange(2, true, 3f), new TracedAlarmChange(5, false, 1f)]);

        Assert.Equal([false, false, true, true, true, false, false, false], state);
    }

    [Fact]
    public void An_alarm_never_cleared_holds_to_the_end_of_the_recording()
    {
        bool[] state = AlarmTimeline.Reconstruct(5, [new TracedAlarmChange(1, true, 0), new TracedAlarmChange(2, false, 0), new TracedAlarmChange(3, true, 0)]);

        Assert.Equal([false, true, false, true, true], state);
    }

    [Fact]
    public void Changes_out_of_order_or_past_the_end_are_rejected()
    {
        Assert.Throws<EvaluationException>(() => AlarmTimeline.Reconstruct(5, [new TracedAlarmChange(3, true, 0), new TracedAlarmChange(1, false, 0)]));
        Assert.Throws<EvaluationException>(() => AlarmTimeline.Reconstruct(5, [new TracedAlarmChange(5, true, 0)]));
    }
}
