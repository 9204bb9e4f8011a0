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
            ModelMetadata m = model.Metadata;
            execution = m.Mode == ExecutionMode.Windowed ? $"windowed, window {m.WindowLength}, stride {m.Stride}" : "streaming (state carried)";
            table.AddRow("model id", ModelFile.ComputeModelId(bytes));
            table.AddRow("size", bytes.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes");
            table.AddRow("precision", model.Precision.ToString());
        }
        AddModelRows(table, model, execution);
        ctx.Console.Write(table);
        var channels = new Table().AddColumn("channel").AddColumn("unit").AddColumn("mean").AddColumn("std");
        CultureInfo inv = CultureInfo.InvariantCulture;
        foreach (ChannelInfo c in model.Metadata.Channels)
            channels.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Unit.Length > 0 ? c.Unit : "-"), c.Mean.ToString("G6", inv), c.Std.ToString("G6", inv));
        ctx.Console.Write(channels);
        return ExitCodes.Success;
    }

    private static void AddModelRows(Table table, RecurrentModel model, string execution)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        ModelMetadata meta = model.Metadata;
        table.AddRow("name", Markup.Escape(meta.Name.Length > 0 ? meta.Name : "-"));
        table.AddRow("inputs", $"{model.InputSize} channels");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            string extras = (layer.Directions[0].Peepholes is not null ? ", peepholes" : "")
                + (layer.Clip > 0 ? ", clip " + layer.Clip.ToString(inv) : "")
                + (layer.Directions[0].InitialHidden is not null ? ", initial state" : "")
                + (layer.Kind == RecurrentKind.Gru && layer.LinearBeforeReset ? ", linear_before_reset" : "");
            table.AddRow($"layer {l}", Markup.Escape(ConvertCommand.Describe(layer) + extras));
        }
        for (int h = 0; h < model.Head.Count; h++)
            table.AddRow($"dense {h}", $"{model.Head[h].InputSize} -> {model.Head[h].OutputSize}, {model.Head[h].Activation}");
        table.AddRow("head input", model.HeadInput.ToString());
        table.AddRow("outputs", Markup.Escape($"{model.OutputSize} ({meta.OutputKind}): {string.Join(", ", meta.OutputNames)}"));
        table.AddRow("execution", Markup.Escape(execution));
        table.AddRow("MACs per step", model.MacsPerStep.ToString("N0", inv));
        table.AddRow("metadata", meta.IsDefault ? "none given: channels x0.., outputs y0.., identity normalization" : "given");
    }
}
