using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Cli;

/// <summary><c>convert &lt;model.onnx&gt; -o &lt;model.elstm&gt;</c>: ONNX to .elstm.</summary>
internal static class ConvertCommand
{
    public static Command Create(Option<bool> verbose, Func<ParseResult, CommandContext> context)
    {
        var onnx = new Argument<string>("model.onnx") { Description = "The ONNX model exported from PyTorch or tf2onnx." };
        var output = new Option<string>("--output", "-o") { Description = "The .elstm file to write.", Required = true };
        var precision = new Option<string>("--precision") { Description = "Weight precision of the .elstm model.", DefaultValueFactory = _ => "int8" };
        precision.AcceptOnlyFromAmong("int8", "float32");
        var meta = new Option<string?>("--meta") { Description = "Sidecar JSON with channel names, units, normalization, labels, mode, window, stride (overrides the ONNX metadata_props)." };
        var window = new Option<int?>("--window")
        {
            HelpName = "n",
            Description = "Samples per window: runs the model on windows (needed for reverse/bidirectional models without one in the metadata). "
                + "Overrides the sidecar's and metadata_props' window; an error beside mode 'streaming', or when the graph's input fixes another time dimension "
                + "(a fixed time dimension is the window, no option needed).",
        }.WindowLength();
        var validate = new Option<string?>("--validate") { Description = "CSV of input steps: after converting, compare the .elstm model with ONNX Runtime on it (exit 1 if it fails)." };
        var tolerance = new Option<float?>("--tolerance") { Description = "Validation: allowed max abs error × max(1, largest |output|) (default 1e-4 float32, 0.02 int8)." }.NonNegative();
        var command = new Command("convert",
            "Convert an ONNX LSTM/GRU model to a .elstm file for the board. Forward-only models stream unless told otherwise; "
            + "a graph whose input fixes the time dimension runs on windows of that length.") { onnx, output, precision, meta, window, validate, tolerance };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(onnx)!, result.GetValue(output)!, result.GetValue(precision)!,
                result.GetValue(meta), result.GetValue(window), result.GetValue(validate), result.GetValue(tolerance)));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string onnxPath, string outputPath, string precision, string? metaPath, int? window,
        string? validatePath, float? tolerance)
    {
        OnnxImport import = ModelLoading.ImportOnnx(onnxPath, metaPath, windowOption: window);
        RecurrentModel model = import.Model;
        if (precision == "int8") model = model.Quantize();
        byte[] bytes = ModelFile.ToBytes(model);
        File.WriteAllBytes(outputPath, bytes);
        string id = ModelFile.ComputeModelId(bytes);
        CultureInfo inv = CultureInfo.InvariantCulture;
        ctx.Output.WriteLine($"wrote {outputPath}: {model.Precision}, {string.Join(" + ", model.Layers.Select(ModelDescription.Layer))}, head {model.Head.Count} dense, {model.InputSize} -> {model.OutputSize}, {bytes.Length.ToString("N0", inv)} bytes, id {id}");
        ctx.Output.WriteLine($"execution: {import.Execution.Describe()}");
        foreach (string note in import.Execution.Notes) ctx.Output.WriteLine($"note: {note}");
        if (model.Metadata.IsDefault)
            ctx.Output.WriteLine("note: no metadata given (ONNX metadata_props or --meta): channels x0.., outputs y0.., no normalization");
        if (validatePath is null) return ExitCodes.Success;
        return VerificationRun.Run(ctx, onnxPath, import.Imported, model, outputPath, id, validatePath, null, tolerance, 0.99, 0, 1);
    }
}
