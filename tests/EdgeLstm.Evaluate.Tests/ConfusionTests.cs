using EdgeLstm.Evaluate.Metrics;

namespace EdgeLstm.Evaluate.Tests;

public class ConfusionTests
{
    [Fact]
    public void Count_skips_the_fitting_rows_and_sorts_each_test_row_into_one_cell()
    {
        //                 0      1      2     3     4      5      6     7
        bool[] alarm = [true, true, true, true, false, false, true, false];
        bool[] fault = [true, false, true, false, true, false, false, true];

        Confusion c = Confusion.Count(alarm, fault, fromRow: 2);

        // rows 2..7: (T,T) tp, (T,F) fp, (F,T) fn, (F,F) tn, (T,F) fp, (F,T) fn
        Assert.Equal(new Confusion(1, 2, 2, 1), c);
        Assert.Equal(6, c.Total);
    }

    [Fact]
    public void Metrics_follow_the_SKAB_definitions()
    {
        var c = new Confusion(TruePositives: 6, FalsePositives: 2, FalseNegatives: 4, TrueNegatives: 8);

        Assert.Equal(12.0 / 18.0, c.F1, 12);          // 2·6 / (2·6 + 2 + 4)
        Assert.Equal(2.0 / 10.0, c.FalseAlarmRate, 12); // FP / (FP + TN)
        Assert.Equal(4.0 / 10.0, c.MissedAlarmRate, 12); // FN / (FN + TP)
    }

    [Fact]
    public void Pooling_adds_counts_rather_than_averaging_per_file_scores()
    {
        var perfect = new Confusion(10, 0, 0, 0);
        var missed = new Confusion(0, 0, 90, 0);

        Confusion pooled = Confusion.Pool([perfect, missed]);

        Assert.Equal(new Confusion(10, 0, 90, 0), pooled);
        Assert.Equal(20.0 / 110.0, pooled.F1, 12); // the mean of per-file F1s would be 0.5
    }

    [Fact]
    public void No_positive_rows_and_no_alarms_give_zeros_not_NaN()
    {
        Confusion c = Confusion.Count([false, false, false], [false, false, false], 0);

        Assert.Equal(new Confusion(0, 0, 0, 3), c);
        Assert.Equal(0, c.F1);
        Assert.Equal(0, c.FalseAlarmRate);
        Assert.Equal(0, c.MissedAlarmRate);
    }

    [Fact]
    public void Alarms_without_any_fault_are_all_false_alarms()
    {
        Confusion c = Confusion.Count([true, true, false], [false, false, false], 0);

        Assert.Equal(0, c.F1);
        Assert.Equal(2.0 / 3.0, c.FalseAlarmRate, 12);
    }

    [Fact]
    public void Empty_pool_and_a_start_past_the_end_count_nothing()
    {
        Assert.Equal(default, Confusion.Pool([]));
        Assert.Equal(0, Confusion.Count([true], [true], 5).Total);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Confusion.Count([true, false], [true], 0));
    }
}
