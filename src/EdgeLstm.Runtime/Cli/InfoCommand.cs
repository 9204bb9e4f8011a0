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
            bytes = ModelFile.ReadFile(file.FullName);
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

    /// <summary>Writes the description of a loaded model: the file's id and size, then <see cref="ModelDescription"/>'s rows.</summary>
    public static void Describe(RecurrentModel model, ReadOnlySpan<byte> bytes, string name, TextWriter output)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        Line(output, "model", name);
        Line(output, "id", ModelFile.ComputeModelId(bytes));
        Line(output, "size", $"{bytes.Length.ToString("N0", inv)} bytes, format version {ModelFile.FormatVersion}, {model.Precision}");
        Line(output, "signed", ModelSignature.Read(bytes) is { } signature ? $"yes, by key {signature.Key} (not verified here; a board verifies against its pinned keys)" : "no");
        foreach ((string property, string value) in ModelDescription.Rows(model, ModelDescription.Execution(model.Metadata)))
            Line(output, property, value);
        Line(output, "channels", model.InputSize.ToString(inv));
        foreach ((string channel, string unit, string mean, string std) in ModelDescription.Channels(model.Metadata))
            output.WriteLine($"  {channel,-24} {unit,-8} mean {mean,-10} std {std}");
    }

    private static void Line(TextWriter output, string property, string value) => output.WriteLine($"{property,-9} {value}");
}
