using System.CommandLine;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Format;

namespace EdgeLstm.Convert.Cli;

/// <summary><c>verify &lt;model.onnx&gt; &lt;model.elstm&gt;</c>: parity of the .elstm model against ONNX Runtime.</summary>
internal static class VerifyCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var onnx = new Argument<string>("model.onnx") { Description = "The original ONNX model (run in ONNX Runtime)." };
        var elstm = new Argument<string>("model.elstm") { Description = "The converted model." };
        var data = new Option<string?>("--data") { Description = "CSV of input steps (rows = steps, columns = channels, optional header); random N(0,1) inputs when omitted." };
        var report = new Option<string?>("--report") { Description = "Write a markdown report here, with a PNG plot of both models' outputs beside it." };
        var tolerance = new Option<float?>("--tolerance") { Description = "Allowed max abs error × max(1, largest |output|) (default 1e-4 float32, 0.02 int8)." }.NonNegative();
        var agreement = new Option<double>("--min-agreement") { Description = "Classifiers: least fraction of predictions with the same top class.", DefaultValueFactory = _ => 0.99 }.Fraction();
        var steps = new Option<int>("--steps") { Description = "Length of the random sequence (default 64 steps, or ten windows for windowed models and graphs with a fixed time dimension)." }.AtLeast(0);
        var raw = new Option<bool>("--raw") { Description = "The CSV holds raw sensor values: normalize them with the model's channel mean/std first." };
        var seed = new Option<int>("--seed") { Description = "Seed of the random sequence.", DefaultValueFactory = _ => 1 };
        var command = new Command("verify",
            "Compare a .elstm model with its ONNX original in ONNX Runtime, the way the board runs it (every step when streaming, every window when windowed; "
            + "a graph whose input fixes the time dimension on windows of that length only); exit 1 when they differ beyond the limits.")
        {
            onnx, elstm, data, raw, report, tolerance, agreement, steps, seed,
        };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() =>
            {
                string onnxPath = result.GetValue(onnx)!, elstmPath = result.GetValue(elstm)!;
                var (model, bytes) = ModelLoading.LoadElstm(elstmPath);
                ImportedModel imported = ModelLoading.ImportOnnx(onnxPath, null, requireWindow: false).Imported;
                return VerificationRun.Run(ctx, onnxPath, imported, model, elstmPath, ModelFile.ComputeModelId(bytes),
                    result.GetValue(data), result.GetValue(report), result.GetValue(tolerance), result.GetValue(agreement),
                    result.GetValue(steps), result.GetValue(seed), result.GetValue(raw));
            });
        });
        return command;
    }
}
