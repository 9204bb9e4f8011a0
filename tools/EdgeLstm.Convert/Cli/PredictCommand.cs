using System.CommandLine;
using EdgeLstm.Convert.Data;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Cli;

/// <summary><c>predict --model --input --output</c>: score one sequence with a .elstm model or its ONNX original.</summary>
internal static class PredictCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var model = new Option<string>("--model", "-m") { Description = "A .elstm model, or a .onnx model (run in ONNX Runtime).", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "CSV: one sequence, rows = time steps, columns = channels (model inputs), optional header.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "CSV to write: one row per step (unidirectional) or one row for the sequence (bidirectional); all numbers in plain decimal notation.", Required = true };
        var raw = new Option<bool>("--raw") { Description = "The CSV holds raw sensor values: normalize them with the model's channel mean/std first." };
        var command = new Command("predict", "Score a CSV sequence with a .elstm or .onnx model.") { model, input, output, raw };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(model)!, result.GetValue(input)!, result.GetValue(output)!, result.GetValue(raw)));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string modelPath, string inputPath, string outputPath, bool raw)
    {
        RecurrentModel model;
        ISequenceScorer scorer;
        OnnxRuntimeScorer? ort = null;
        if (ModelLoading.IsOnnx(modelPath))
        {
            ImportedModel imported;
            (imported, model) = ModelLoading.ImportOnnx(modelPath, null, requireWindow: false);
            scorer = ort = new OnnxRuntimeScorer(modelPath, imported);
        }
        else
        {
            model = ModelLoading.LoadElstm(modelPath).Model;
            scorer = new EngineScorer(model);
        }
        using (ort)
        {
            CsvSequence csv = ModelInputs.Load(inputPath, model.Metadata);
            float[] x = ModelInputs.From(csv, model.Metadata, raw);
            // A unidirectional model answers after every step, as streaming gives; a bidirectional one needs the whole sequence.
            float[][] rows = model.CanStream
                ? ctx.WithProgress("Scoring", p => scorer.ScorePrefixes(x, csv.Steps, done => p(done, csv.Steps)))
                : [scorer.ScoreWindow(x, csv.Steps)];
            CsvOutput.Write(outputPath, model.Metadata.OutputNames, rows);
            ctx.Output.WriteLine($"wrote {outputPath}: {rows.Length} row{(rows.Length == 1 ? "" : "s")} of {model.OutputSize} outputs from {csv.Steps} steps");
        }
        return ExitCodes.Success;
    }
}
