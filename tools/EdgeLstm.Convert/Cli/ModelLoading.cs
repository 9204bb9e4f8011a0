using EdgeLstm.Convert.Metadata;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Cli;

/// <summary>Loading models and data for the commands, with errors that name the file.</summary>
internal static class ModelLoading
{
    /// <summary>Imports an ONNX file and attaches metadata from its metadata_props, an optional sidecar and <c>--window</c>.</summary>
    public static OnnxImport ImportOnnx(string path, string? sidecarPath, bool requireWindow = true, int? windowOption = null)
    {
        ImportedModel imported = GraphImporter.Import(path);
        Sidecar? sidecar = sidecarPath is null ? null : Sidecar.Load(sidecarPath);
        var (metadata, execution) = MetadataBuilder.BuildWithExecution(imported, sidecar, windowOption, path, sidecarPath ?? "sidecar", requireWindow);
        RecurrentModel model = imported.Model with { Metadata = metadata };
        try
        {
            model.Validate();
        }
        catch (InvalidModelException e)
        {
            throw new ConversionException($"{sidecarPath ?? path}: the metadata does not fit the model: {e.Message}", e);
        }
        return new OnnxImport(imported, model, execution);
    }

    /// <summary>Reads an .elstm file; returns the model and the file bytes (for the model id).</summary>
    public static (RecurrentModel Model, byte[] Bytes) LoadElstm(string path)
    {
        if (!File.Exists(path)) throw new ConversionException($"{path}: file not found.");
        try
        {
            byte[] bytes = ModelFile.ReadFile(path); // refuses an oversized file before reading it
            return (ModelFile.Load(bytes), bytes);
        }
        catch (InvalidModelException e)
        {
            throw new ConversionException($"{path}: not a usable .elstm model: {e.Message}", e);
        }
    }

    /// <summary>True when the path names an ONNX file (by extension).</summary>
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An ONNX file read for a command: the graph, the model with its metadata, and how its window was decided.</summary>
/// <param name="Imported">The graph as imported (input layout, fixed time dimension).</param>
/// <param name="Model">The model with metadata attached.</param>
/// <param name="Execution">Mode, window and stride, with where the window came from.</param>
internal sealed record OnnxImport(ImportedModel Imported, RecurrentModel Model, ExecutionSettings Execution);
