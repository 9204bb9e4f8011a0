using System.Text.Json.Nodes;
using EdgeLstm.Evaluate.Evaluation;
using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Reporting;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Tests;

public class ReportTests
{
    private static RecordingResult Recording(int number, Confusion counts, long bytes) => new(
        new SkabRecording("valve1", number, $"/d/valve1/{number}.csv"),
        counts,
        new RunTrace { SampleRateHz = 1, Scores = [], Alarms = [new TracedAlarmChange(2, true, 3f), new TracedAlarmChange(4, false, 1f)] },
        [false, false, true, true, false],
        [false, true, true, true, false],
        bytes,
        new DecisionSettings(0.1, 0.99, 2.5, 0.75, 1, 400, 2.2));

    private static EvaluationResult Result() => new("strict", Precision.Int8, "factor",
        [Recording(0, new Confusion(6, 2, 4, 8), 3121), Recording(1, new Confusion(0, 0, 0, 10), 3123)]);

    [Fact]
    public void Pooled_table_shows_pooled_metrics_counts_and_the_size_range()
    {
        string table = MarkdownReport.Pooled([Result()]);

        Assert.Contains("| strict (factor) | int8 | 0.667 | 10.00 | 40.00 | 6 | 2 | 4 | 18 | 3,121–3,123 |", table);
    }

    [Fact]
    public void Per_recording_table_lists_the_fault_span_and_alarm_changes()
    {
        string table = MarkdownReport.PerRecording([Result()]);

        Assert.Contains("| valve1/0 | 1–3 |", table);
        Assert.Contains("↑2, ↓4", table);
    }

    [Fact]
    public void Json_keeps_per_file_counts_for_comparison_with_the_trainer()
    {
        JsonNode run = JsonNode.Parse(JsonReport.Build([Result()]))![0]!;

        Assert.Equal("int8", (string?)run["precision"]);
        Assert.Equal(6, (long)run["per_file"]!["valve1/0"]!["tp"]!);
        Assert.Equal(10, (long)run["per_file"]!["valve1/1"]!["tn"]!);
        Assert.Equal(2, run["per_file"]!["valve1/0"]!["alarms"]!.AsArray().Count);
    }

    [Fact]
    public void Fault_span_is_minus_one_without_faults()
    {
        Assert.Equal((-1, -1), MarkdownReport.FaultSpan([false, false]));
        Assert.Equal((1, 3), MarkdownReport.FaultSpan([false, true, false, true]));
    }
}
