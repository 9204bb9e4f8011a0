using EdgeLstm.Convert.Onnx.Proto;
using Google.Protobuf;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Reads an ONNX file into the generated protobuf classes and rejects files that are not ONNX models.</summary>
public static class OnnxFile
{
    /// <summary>Largest ONNX file accepted: a model for a Pi is kilobytes, not gigabytes.</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="ConversionException">The file is missing, unreadable, or not an ONNX model.</exception>
    public static ModelProto Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ConversionException($"{path}: file not found.");
            if (info.Length > MaxBytes) throw new ConversionException($"{path}: {info.Length} bytes is larger than the {MaxBytes}-byte limit for an ONNX model.");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ConversionException($"{path}: cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConversionException($"{path}: cannot be read: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses ONNX bytes; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="ConversionException">The bytes are not a complete ONNX model.</exception>
    public static ModelProto Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.IsEmpty) throw new ConversionException($"{source}: the file is empty; expected an ONNX model.");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConversionException($"{source}: not a valid ONNX file (the protobuf data is truncated or corrupt: {FirstLine(e.Message)})", e);
        }
        // Random bytes sometimes parse as a protobuf message; a real export always has an IR version and a graph.
        if (model.IrVersion <= 0 || model.Graph is null || model.Graph.Node.Count == 0)
            throw new ConversionException($"{source}: not an ONNX model (no IR version or no graph nodes); expected a file written by torch.onnx.export or tf2onnx.");
        return model;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
