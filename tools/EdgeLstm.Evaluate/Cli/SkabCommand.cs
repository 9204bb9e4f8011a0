using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Evaluate.Evaluation;
using EdgeLstm.Evaluate.Metrics;
using EdgeLstm.Evaluate.Reporting;
using EdgeLstm.Evaluate.Runtime;
using EdgeLstm.Evaluate.Skab;
using Spectre.Console;

namespace EdgeLstm.Evaluate.Cli;

/// <summary><c>skab &lt;dataset&gt;</c>: the whole SKAB table from the committed models, scored on the runtime.</summary>
internal static class SkabCommand
{
    public static Command Create(TextWriter error)
    {
        var dataset = new Argument<string?>("dataset")
        {
            Description = "The SKAB folder (valve1/, valve2/, other/); default: tools/datasets/skab above the current directory.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var precision = new Option<string>("--precision") { Description = "Weight precision(s) to score.", DefaultValueFactory = _ => "both" };
        precision.AcceptOnlyFromAmong("int8", "float32", "both");
        var variant = new Option<string>("--variant") { Description = "Model variant(s) (tools/train/skab/models/<variant>).", DefaultValueFactory = _ => "strict" };
        variant.AcceptOnlyFromAmong("strict", "commissioning", "both");
        var factorKey = new Option<string>("--factor-key") { Description = "Decision-settings factor: factor (leave-one-file-out), factor_logo, factor_label_free.", DefaultValueFactory = _ => "factor" };
        factorKey.AcceptOnlyFromAmong("factor", "factor_logo", "factor_label_free");
        var models = new Option<string?>("--models") { Description = "The models folder (default: tools/train/skab/models above the current directory)." };
        var runtime = new Option<string?>("--runtime") { Description = "The runtime to run: edgelstm.dll or a native edgelstm binary (default: the one built next to this tool)." };
        var cache = new Option<string?>("--cache") { Description = "Folder for converted models and board configs (default: <temp>/edgelstm-evaluate)." };
        var report = new Option<string?>("--report") { Description = "Also write the pooled and per-recording tables to this markdown file." };
        var json = new Option<string?>("--json") { Description = "Also write pooled metrics and per-recording counts and alarm changes to this JSON file." };
        var plot = new Option<string?>("--plot") { Description = "Also write a PNG of valve1/5 (first variant, int8 if scored): channels, anomaly, threshold, alarm, fault." };
        var command = new Command("skab", "Score the committed SKAB models on the runtime: pooled point-wise F1, FAR, MAR over the test parts.")
        {
            dataset, precision, variant, factorKey, models, runtime, cache, report, json, plot,
        };
        command.SetAction(async (result, token) =>
        {
            try
            {
                return await RunAsync(
                    result.GetValue(dataset), result.GetValue(precision)!, result.GetValue(variant)!, result.GetValue(factorKey)!,
                    result.GetValue(models), result.GetValue(runtime), result.GetValue(cache), result.GetValue(report), result.GetValue(json), result.GetValue(plot), token).ConfigureAwait(false);
            }
            catch (EvaluationException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string? datasetPath, string precisionName, string variantName, string factorKey, string? modelsPath, string? runtimePath,
        string? cachePath, string? reportPath, string? jsonPath, string? plotPath, CancellationToken token)
    {
        datasetPath ??= RepositoryPaths.FindSkab(Directory.GetCurrentDirectory())
            ?? throw new EvaluationException($"no {RepositoryPaths.SkabRelative} above {Directory.GetCurrentDirectory()}; pass the SKAB folder");
        IReadOnlyList<SkabRecording> recordings = SkabDataset.Discover(datasetPath);
        string models = modelsPath ?? RepositoryPaths.FindModels(Directory.GetCurrentDirectory())
            ?? throw new EvaluationException($"no {RepositoryPaths.ModelsRelative} above {Directory.GetCurrentDirectory()}; pass --models");
        if (!Directory.Exists(models))
        {
            throw new EvaluationException($"models folder not found: {Path.GetFullPath(models)}");
        }

        string work = cachePath ?? Path.Combine(Path.GetTempPath(), "edgelstm-evaluate");
        var evaluator = new SkabEvaluator(models, new ModelCache(Path.Combine(work, "models")), new RuntimeProcess(runtimePath ?? RuntimeProcess.Default), Path.Combine(work, "boards"));
        string[] variants = variantName == "both" ? ["strict", "commissioning"] : [variantName];
        Precision[] precisions = precisionName switch
        {
            "int8" => [Precision.Int8],
            "float32" => [Precision.Float32],
            _ => [Precision.Float32, Precision.Int8],
        };

        var results = new List<EvaluationResult>();
        var clock = Stopwatch.StartNew();
        foreach (string v in variants)
        {
            foreach (Precision p in precisions)
            {
                results.Add(await evaluator.EvaluateAllAsync(recordings, v, p, factorKey, token).ConfigureAwait(false));
            }
        }

        AnsiConsole.Write(Table(results));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recordings.Count} recordings × {results.Count} runs on the runtime in {clock.Elapsed.TotalSeconds:F1} s; test rows = rows ≥ calibration rows, pooled."));

        if (reportPath is not null)
        {
            string header = $"# SKAB scored on the runtime (generated){Environment.NewLine}{Environment.NewLine}Written by `edgelstm-evaluate skab` " +
                $"(variant {variantName}, precision {precisionName}, factor key {factorKey}); method and discussion in docs/skab.md. " +
                $"Per recording: F1 / FAR % / MAR % on rows ≥ 400 and the Alarm frames (↑ raised, ↓ cleared, at sample index).{Environment.NewLine}{Environment.NewLine}";
            await File.WriteAllTextAsync(reportPath, header + MarkdownReport.Pooled(results) + Environment.NewLine + MarkdownReport.PerRecording(results), token).ConfigureAwait(false);
            AnsiConsole.WriteLine($"wrote {reportPath}");
        }

        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, JsonReport.Build(results), token).ConfigureAwait(false);
            AnsiConsole.WriteLine($"wrote {jsonPath}");
        }

        if (plotPath is not null)
        {
            // The board ships int8, so the plot shows int8 when it was scored.
            EvaluationResult shown = results.FirstOrDefault(r => r.Precision == Precision.Int8) ?? results[0];
            RecordingResult demo = shown.Recordings.FirstOrDefault(r => r.Recording.Name == "valve1/5")
                ?? throw new EvaluationException("--plot: valve1/5 is not among the recordings");
            RecordingPlot.Save(demo, $"{shown.Variant}, {MarkdownReport.Name(shown)}", plotPath);
            AnsiConsole.WriteLine($"wrote {plotPath}");
        }

        return ExitCodes.Success;
    }

    private static Table Table(IEnumerable<EvaluationResult> results)
    {
        var table = new Table().AddColumns("Variant", "Precision", "F1", "FAR %", "MAR %", "TP", "FP", "FN", "TN");
        foreach (EvaluationResult r in results)
        {
            Confusion c = r.Pooled;
            CultureInfo inv = CultureInfo.InvariantCulture;
            table.AddRow(r.Variant, MarkdownReport.Name(r), c.F1.ToString("F3", inv), (100 * c.FalseAlarmRate).ToString("F2", inv),
                (100 * c.MissedAlarmRate).ToString("F2", inv), c.TruePositives.ToString(inv), c.FalsePositives.ToString(inv),
                c.FalseNegatives.ToString(inv), c.TrueNegatives.ToString(inv));
        }

        return table;
    }
}
