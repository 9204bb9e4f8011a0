using EdgeLstm.Convert.Cli;
using EdgeLstm.Core;

namespace EdgeLstm.Evaluate.Runtime;

/// <summary>Converts ONNX models to <c>.elstm</c> with the converter, in-process, into a work folder.</summary>
/// <param name="cacheDirectory">Where converted models go; created when missing.</param>
public sealed class ModelCache(string cacheDirectory)
{
    /// <summary>Converts an ONNX file and returns the <c>.elstm</c> path.</summary>
    /// <param name="onnxPath">The committed ONNX model.</param>
    /// <param name="precision">Weight precision.</param>
    /// <returns>The path of the <c>.elstm</c> file.</returns>
    /// <exception cref="EvaluationException">The model is missing or the converter rejects it.</exception>
    public string Get(string onnxPath, Precision precision)
    {
        if (!File.Exists(onnxPath))
        {
            throw new EvaluationException($"model not found: {Path.GetFullPath(onnxPath)}");
        }

        string tag = precision == Precision.Int8 ? "int8" : "float32";
        string folder = Path.Combine(cacheDirectory, Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(onnxPath))) ?? "models");
        Directory.CreateDirectory(folder);
        string output = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(onnxPath)}.{tag}.elstm");

        // Always converted afresh (milliseconds in-process): a cached file could predate a converter change.
        using var log = new StringWriter();
        int code = ConvertCli.Run(["convert", onnxPath, "-o", output, "--precision", tag], log, log);
        if (code != ExitCodes.Success)
        {
            File.Delete(output);
            throw new EvaluationException($"converting {onnxPath} failed (exit {code}): {log.ToString().Trim()}");
        }

        return output;
    }
}
