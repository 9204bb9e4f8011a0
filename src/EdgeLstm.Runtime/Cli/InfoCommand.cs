using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Cli;

/// <summary><c>edgelstm info &lt;model&gt;</c>: what a model file holds.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .elstm model file to describe." };
        var command = new Command("info", "Show a model's layers, precision, channels, outputs, size and id.") { model };
        command.SetAction(result => Run(result.GetValue(model)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(FileInfo file, TextWriter output, TextWriter error)
    {
        byte[] bytes;
        RecurrentModel model;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
            model = ModelFile.Load(bytes);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            error.WriteLine($"error: cannot read model '{file.FullName}': {FileErrors.Describe(e, file.FullName)}");
            return ExitCodes.BadInput;
        }
        catch (InvalidModelException e)
        {
            error.WriteLine($"error: {file.FullName}: {e.Message}");
            return ExitCodes.BadInput;
        }
        Describe(model, bytes, file.Name, output);
        return ExitCodes.Success;
    }

    /// <summary>Writes the description of a loaded model.</summary>
    public static void Describe(RecurrentModel model, ReadOnlySpan<byte> bytes, string name, TextWriter output)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        ModelMetadata meta = model.Metadata;
        output.WriteLine($"model     {name}{(meta.Name.Length > 0 ? $" ({meta.Name})" : "")}");
        output.WriteLine($"id        {ModelFile.ComputeModelId(bytes)}");
        output.WriteLine($"size      {bytes.Length.ToString("N0", inv)} bytes, format version {ModelFile.FormatVersion}, {model.Precision}");
        output.WriteLine($"runs      {meta.Mode}{(meta.Mode == ExecutionMode.Windowed ? $", window {meta.WindowLength}, stride {meta.Stride}" : "")}, {model.MacsPerStep.ToString("N0", inv)} MACs per step");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            string extras = (layer.Directions[0].Peepholes is not null ? ", peepholes" : "") +
                (layer.Clip > 0 ? $", clip {layer.Clip.ToString(inv)}" : "") +
                (layer.Kind == RecurrentKind.Gru ? $", linear_before_reset {(layer.LinearBeforeReset ? 1 : 0)}" : "") +
                $", activations {string.Join('/', layer.Activations.Take(layer.ActivationsPerDirection))}";
            output.WriteLine($"layer {l}   {layer.Kind} {layer.Direction} {layer.InputSize} -> {layer.HiddenSize}{extras}");
        }
        for (int h = 0; h < model.Head.Count; h++)
            output.WriteLine($"dense {h}   {model.Head[h].InputSize} -> {model.Head[h].OutputSize}, {model.Head[h].Activation}");
        output.WriteLine($"head input {model.HeadInput}");
        output.WriteLine(meta.SampleRateHz > 0 ? $"rate      trained at {meta.SampleRateHz.ToString(inv)} Hz" : "rate      not recorded in the model");
        if (meta.IsDefault)
            output.WriteLine("metadata  none given: channels x0..x{0}, outputs y0..y{1}, no normalization", model.InputSize - 1, model.OutputSize - 1);
        output.WriteLine($"channels  {model.InputSize}");
        foreach (ChannelInfo c in meta.Channels)
            output.WriteLine($"  {c.Name,-24} {(c.Unit.Length > 0 ? c.Unit : "-"),-8} mean {c.Mean.ToString("G6", inv),-10} std {c.Std.ToString("G6", inv)}");
        output.WriteLine($"outputs   {model.OutputSize} ({meta.OutputKind}): {string.Join(", ", meta.OutputNames)}");
    }
}
