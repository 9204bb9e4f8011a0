using System.CommandLine;
using EdgeLstm.Convert.Data;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Core;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Cli;

/// <summary><c>predict --model --input --output</c>: score one sequence with a .elstm model or its ONNX original.</summary>
internal static class PredictCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var model = new Option<string>("--model", "-m") { Description = "A .elstm model, or a .onnx model (run in ONNX Runtime).", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "CSV: one sequence, rows = time steps, columns = channels (model inputs), optional header.", Required = true };
        var output = new Option<string>("--output", "-o")
        {
            Description = "CSV to write, one row per prediction: per step for streaming models; per window (the model's window and stride) for windowed ones, "
                + "or one row for the whole CSV when it is shorter than the window or the model has none; all numbers in plain decimal notation.",
            Required = true,
        };
        var raw = new Option<bool>("--raw") { Description = "The CSV holds raw sensor values: normalize them with the model's channel mean/std first." };
        var command = new Command("predict",
            "Score a CSV sequence with a .elstm or .onnx model, the way the board runs it; a .onnx whose input fixes the time dimension is run on windows of that length.") { model, input, output, raw };
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
        ImportedModel? graph = null;
        int? window;
        if (ModelLoading.IsOnnx(modelPath))
        {
            OnnxImport import = ModelLoading.ImportOnnx(modelPath, null, requireWindow: false);
            (graph, model, window) = (import.Imported, import.Model, import.Execution.Window);
            scorer = ort = new OnnxRuntimeScorer(modelPath, graph);
        }
        else
        {
            model = ModelLoading.LoadElstm(modelPath).Model;
            window = model.Metadata.WindowLength;
            scorer = new EngineScorer(model);
        }
        using (ort)
        {
            CsvSequence csv = ModelInputs.Load(inputPath, model.Metadata);
            float[] x = ModelInputs.From(csv, model.Metadata, raw);
            ModelMetadata meta = model.Metadata;
            // The predictions the board makes, where the graph's input shape lets ONNX Runtime make them.
            PredictionScheme scheme = SchemeSelection.ForPredict(meta.Mode, model.CanStream, window, meta.Stride, graph, csv.Steps, modelPath, inputPath);
            int count = scheme.EndSteps(csv.Steps).Length;
            float[][] rows = ctx.WithProgress("Scoring", p => scheme.Score(scorer, x, csv.Steps, done => p(done, count)));
            CsvOutput.Write(outputPath, meta.OutputNames, rows);
            ctx.Output.WriteLine($"wrote {outputPath}: {rows.Length} row{(rows.Length == 1 ? "" : "s")} of {model.OutputSize} outputs from {csv.Steps} steps, {scheme.Description}");
        }
        return ExitCodes.Success;
    }
}
