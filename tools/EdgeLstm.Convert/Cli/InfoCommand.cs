using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Spectre.Console;

namespace EdgeLstm.Convert.Cli;

/// <summary>
/// <c>info &lt;model.elstm|model.onnx&gt;</c>: shapes, precision, metadata, size, model id; for a .onnx file, the model as
/// <c>convert</c> reads it, with its input shape and where its window comes from.
/// </summary>
internal static class InfoCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var path = new Argument<string>("model") { Description = "The .elstm model to describe, or a .onnx model (described as convert reads it, without a sidecar)." };
        var command = new Command("info", "Show a model's layers, precision, metadata and execution (streaming, or windowed and where the window comes from); size and id of a .elstm file.") { path };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(path)!));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string path)
    {
        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("file", Markup.Escape(path));
        RecurrentModel model;
        string execution;
        if (ModelLoading.IsOnnx(path))
        {
            OnnxImport import = ModelLoading.ImportOnnx(path, null, requireWindow: false);
            model = import.Model;
            execution = import.Execution.Describe();
            table.AddRow("ONNX input", Markup.Escape(import.Imported.InputText + $" (time axis {import.Imported.Layout.TimeAxis}, "
                + (import.Imported.StaticTimeSteps is int t ? $"fixed at {t} steps)" : "any length)")));
            table.AddRow("precision", "Float32 as read (convert writes Int8 unless --precision float32)");
        }
        else
        {
            (model, byte[] bytes) = ModelLoading.LoadElstm(path);
            execution = ModelDescription.Execution(model.Metadata);
            table.AddRow("model id", ModelFile.ComputeModelId(bytes));
            table.AddRow("size", bytes.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes");
            table.AddRow("signed", ModelSignature.Read(bytes) is { } signature ? $"yes, by key {signature.Key}" : "no");
            table.AddRow("precision", model.Precision.ToString());
        }
        foreach ((string property, string value) in ModelDescription.Rows(model, execution))
            table.AddRow(Markup.Escape(property), Markup.Escape(value));
        ctx.Console.Write(table);
        var channels = new Table().AddColumn("channel").AddColumn("unit").AddColumn("mean").AddColumn("std");
        foreach ((string channel, string unit, string mean, string std) in ModelDescription.Channels(model.Metadata))
            channels.AddRow(Markup.Escape(channel), Markup.Escape(unit), mean, std);
        ctx.Console.Write(channels);
        return ExitCodes.Success;
    }
}
