using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using Spectre.Console;

namespace EdgeLstm.Convert.Cli;

/// <summary><c>info &lt;model.elstm&gt;</c>: shapes, precision, metadata, size, model id.</summary>
internal static class InfoCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var path = new Argument<string>("model.elstm") { Description = "The .elstm model to describe." };
        var command = new Command("info", "Show a .elstm model's layers, precision, metadata, size and id.") { path };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(path)!));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string path)
    {
        var (model, bytes) = ModelLoading.LoadElstm(path);
        CultureInfo inv = CultureInfo.InvariantCulture;
        ModelMetadata meta = model.Metadata;
        var table = new Table().AddColumn("property").AddColumn("value");
        table.AddRow("file", Markup.Escape(path));
        table.AddRow("model id", ModelFile.ComputeModelId(bytes));
        table.AddRow("size", bytes.Length.ToString("N0", inv) + " bytes");
        table.AddRow("precision", model.Precision.ToString());
        table.AddRow("name", Markup.Escape(meta.Name.Length > 0 ? meta.Name : "-"));
        table.AddRow("inputs", $"{model.InputSize} channels");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            string extras = (layer.Directions[0].Peepholes is not null ? ", peepholes" : "")
                + (layer.Clip > 0 ? ", clip " + layer.Clip.ToString(inv) : "")
                + (layer.Directions[0].InitialHidden is not null ? ", initial state" : "");
            table.AddRow($"layer {l}", Markup.Escape(ConvertCommand.Describe(layer) + extras));
        }
        for (int h = 0; h < model.Head.Count; h++)
            table.AddRow($"dense {h}", $"{model.Head[h].InputSize} -> {model.Head[h].OutputSize}, {model.Head[h].Activation}");
        table.AddRow("head input", model.HeadInput.ToString());
        table.AddRow("outputs", Markup.Escape($"{model.OutputSize} ({meta.OutputKind}): {string.Join(", ", meta.OutputNames)}"));
        table.AddRow("execution", meta.Mode == ExecutionMode.Windowed ? $"windowed, window {meta.WindowLength}, stride {meta.Stride}" : "streaming (state carried)");
        table.AddRow("MACs per step", model.MacsPerStep.ToString("N0", inv));
        table.AddRow("metadata", meta.IsDefault ? "none given: channels x0.., outputs y0.., identity normalization" : "given");
        ctx.Console.Write(table);
        var channels = new Table().AddColumn("channel").AddColumn("unit").AddColumn("mean").AddColumn("std");
        foreach (ChannelInfo c in meta.Channels)
            channels.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Unit.Length > 0 ? c.Unit : "-"), c.Mean.ToString("G6", inv), c.Std.ToString("G6", inv));
        ctx.Console.Write(channels);
        return ExitCodes.Success;
    }
}
