using System.Globalization;
using EdgeLstm.Convert.Data;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Convert.Running;
using EdgeLstm.Convert.Verification;
using EdgeLstm.Core;
using EdgeLstm.Core.Model;
using Spectre.Console;

namespace EdgeLstm.Convert.Cli;

/// <summary>The verification shared by <c>verify</c> and <c>convert --validate</c>: run, print the summary, write the report.</summary>
internal static class VerificationRun
{
    public static int Run(CommandContext context, string onnxPath, ImportedModel imported, RecurrentModel model, string elstmPath, string modelId,
        string? dataPath, string? reportPath, float? tolerance, double minAgreement, int steps, int seed, bool raw = false)
    {
        if (model.InputSize != imported.Model.InputSize || model.OutputSize != imported.Model.OutputSize)
            throw new ConversionException($"{elstmPath}: the model takes {model.InputSize} channels and produces {model.OutputSize} outputs but {onnxPath} takes {imported.Model.InputSize} and produces {imported.Model.OutputSize}; they are not the same model.");
        float[] data;
        int length;
        string description, source;
        if (dataPath is not null)
        {
            CsvSequence csv = ModelInputs.Load(dataPath, model.Metadata);
            (data, length, source, description) = (ModelInputs.From(csv, model.Metadata, raw), csv.Steps, dataPath,
                $"`{dataPath}` ({csv.Steps} steps{(raw ? ", raw values normalized with the model's mean/std" : "")})");
        }
        else
        {
            length = steps > 0 ? steps : Verifier.DefaultSteps(model.Metadata, imported.StaticTimeSteps);
            data = Verifier.RandomSequence(length, model.InputSize, seed);
            source = $"the random sequence ({length} steps{(steps > 0 ? ", --steps" : "")})";
            description = $"random N(0, 1) inputs, {length} steps, seed {seed}";
        }
        PredictionScheme scheme = SchemeSelection.ForVerify(model, imported, length, onnxPath, elstmPath, source);
        var options = new VerificationOptions(tolerance ?? Verifier.DefaultTolerance(model.Precision), minAgreement);
        using var onnx = new OnnxRuntimeScorer(onnxPath, imported);
        var engine = new EngineScorer(model);
        ComparisonResult result = context.WithProgress("Running ONNX Runtime and .elstm",
            progress => Verifier.Compare(model, scheme, onnx, engine, data, length, description, options, progress));
        Print(context, result, model.Precision);
        if (reportPath is not null)
        {
            string png = ReportWriter.Write(reportPath, result, onnxPath, elstmPath, modelId);
            context.Output.WriteLine($"report: {reportPath} (plot {png})");
        }
        return result.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static void Print(CommandContext context, ComparisonResult result, ModelPrecision precision)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumn("check").AddColumn("value").AddColumn("limit");
        table.AddRow("predictions", result.Predictions.ToString(inv), Markup.Escape(result.Scheme));
        table.AddRow("precision", precision.ToString(), "");
        table.AddRow("max abs error", result.MaxAbsError.ToString("G4", inv), "≤ " + result.AllowedError.ToString("G4", inv));
        table.AddRow("mean abs error", result.MeanAbsError.ToString("G4", inv), "");
        if (result.Top1Agreement is { } a)
            table.AddRow("top-1 agreement", a.ToString("P2", inv), "≥ " + result.MinAgreement.ToString("P2", inv));
        for (int k = 0; k < result.OutputNames.Count; k++)
            table.AddRow(Markup.Escape($"  {result.OutputNames[k]} max abs"), result.MaxAbsErrorOf(k).ToString("G4", inv), "");
        context.Console.Write(table);
        context.Output.WriteLine(result.Passed
            ? "verification passed: the .elstm model matches ONNX Runtime"
            : "verification FAILED: the .elstm model differs from ONNX Runtime beyond the limits");
    }
}
