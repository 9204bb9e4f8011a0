using EdgeLstm.Evaluate.Evaluation;
using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Reporting;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Tests;

/// <summary>
/// The whole chain on one recording (valve1/5, the runtime's demo): convert the committed model, replay it through the
/// real runtime, decode the frames, score. The recording is the committed SKAB dataset (tools/datasets/skab).
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("evaluate-e2e").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(Precision.Int8)]
    [InlineData(Precision.Float32)]
    public async Task Valve1_5_alarm_lands_inside_the_fault(Precision precision)
    {
        SkabRecording recording = SkabDataset.Discover(Repository.SkabDataset).Single(r => r.Name == "valve1/5");
        var evaluator = new SkabEvaluator(Repository.Path("tools", "train", "skab", "models"), new ModelCache(Path.Combine(_work, "models")), new RuntimeProcess(RuntimeProcess.Default), _work);

        RecordingResult result = await evaluator.EvaluateAsync(recording, "strict", precision);

        (int faultStart, int faultEnd) = MarkdownReport.FaultSpan(result.Fault);
        Assert.True(faultStart >= 400, $"fault starts at {faultStart}");
        Assert.Equal(result.Fault.Length, result.Alarm.Length);
        Assert.NotEmpty(result.Trace.Alarms);
        Assert.All(result.Trace.Alarms.Where(a => a.Raised), a => Assert.InRange(a.Sample, faultStart, faultEnd));
        Assert.DoesNotContain(true, result.Alarm.AsSpan(0, faultStart).ToArray());
        Assert.Equal(0, result.Counts.FalsePositives);
        Assert.True(result.Counts.TruePositives > (faultEnd - faultStart + 1) / 2, $"only {result.Counts.TruePositives} fault rows alarmed");
        // Predictions start once the 16-sample window is full and run to the last row.
        Assert.Equal(15, result.Trace.Scores[0].Sample);
        Assert.Equal(result.Fault.Length - 1, result.Trace.Scores[^1].Sample);

        // The plot renders from the same result (PNG signature, non-trivial size).
        string png = Path.Combine(_work, "valve1-5.png");
        RecordingPlot.Save(result, $"strict, {precision}", png);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }
}
