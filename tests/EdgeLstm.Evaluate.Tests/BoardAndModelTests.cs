using System.Text.Json.Nodes;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Tests;

public sealed class BoardAndModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evaluate-board").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Decision_settings_take_the_requested_factor_and_its_threshold()
    {
        string path = Path.Combine(_dir, "m.decision.json");
        File.WriteAllText(path, """{"quantile":0.99,"factor":2.5,"alpha":0.1,"off_ratio":0.75,"min_on":1,"threshold":2.2,"factor_logo":4,"threshold_logo":3.5,"train_rows":400}""");

        Assert.Equal(new DecisionSettings(0.1, 0.99, 2.5, 0.75, 1, 400, 2.2), DecisionSettings.Load(path));
        Assert.Equal(4, DecisionSettings.Load(path, "factor_logo").Factor);
        Assert.Throws<EvaluationException>(() => DecisionSettings.Load(path, "factor_label_free"));
    }

    [Fact]
    public void The_board_replays_the_whole_file_sequentially_with_the_models_decision_settings()
    {
        var recording = new SkabRecording("valve1", 5, "/data/valve1/5.csv");
        var settings = new DecisionSettings(0.1, 0.99, 2.5, 0.75, 1, 400, 2.2);

        JsonNode board = JsonNode.Parse(ReplayBoard.Build(recording, "/m/valve1-5.elstm", settings))!;

        JsonNode device = board["devices"]![0]!;
        Assert.Equal("replay", (string?)device["type"]);
        Assert.Equal("/data/valve1/5.csv", (string?)device["file"]);
        Assert.Equal("sequential", (string?)device["timing"]);
        Assert.Equal(8, device["channels"]!.AsArray().Count);
        JsonNode decision = board["decision"]!;
        Assert.Equal("residual", (string?)decision["score"]);
        Assert.Equal(0.1, (double)decision["smoothingAlpha"]!);
        Assert.Equal(1, (int)decision["minDurationSamples"]!);
        Assert.Equal(400, (int)decision["calibration"]!["samples"]!);
        Assert.Equal(2.5, (double)decision["calibration"]!["factor"]!);
        Assert.Equal(0.75, (double)decision["calibration"]!["clearRatio"]!);
        Assert.Null(decision["threshold"]); // the board calibrates its own threshold; the Python one is never passed on
    }

    [Fact]
    public async Task A_missing_model_or_runtime_is_a_one_line_error()
    {
        var missingModel = Assert.Throws<EvaluationException>(() => new ModelCache(_dir).Get(Path.Combine(_dir, "none.onnx"), Precision.Int8));
        Assert.StartsWith("model not found", missingModel.Message);

        var missingRuntime = await Assert.ThrowsAsync<EvaluationException>(() => new RuntimeProcess(Path.Combine(_dir, "edgelstm")).RunAsync("board.json"));
        Assert.StartsWith("runtime not found", missingRuntime.Message);
    }

    [Fact]
    public async Task A_runtime_that_fails_reports_its_exit_code_and_stderr()
    {
        string board = Path.Combine(_dir, "bad.json");
        File.WriteAllText(board, "{}");

        var ex = await Assert.ThrowsAsync<EvaluationException>(() => new RuntimeProcess(RuntimeProcess.Default).RunAsync(board));

        Assert.StartsWith("runtime failed (exit ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
