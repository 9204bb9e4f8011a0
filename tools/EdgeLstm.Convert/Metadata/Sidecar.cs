using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLstm.Convert.Onnx;

namespace EdgeLstm.Convert.Metadata;

/// <summary>A channel in the sidecar JSON.</summary>
public sealed class SidecarChannel
{
    /// <summary>Channel name.</summary>
    public string? Name { get; set; }

    /// <summary>Unit of the raw value.</summary>
    public string? Unit { get; set; }

    /// <summary>Mean subtracted before the model.</summary>
    public float? Mean { get; set; }

    /// <summary>Standard deviation the centred value is divided by.</summary>
    public float? Std { get; set; }
}

/// <summary>
/// The sidecar JSON (<c>--meta</c>): every field optional; a present field overrides the ONNX metadata_props.
/// </summary>
public sealed class Sidecar
{
    /// <summary>Model name.</summary>
    public string? Name { get; set; }

    /// <summary>Channels in model input order.</summary>
    public List<SidecarChannel>? Channels { get; set; }

    /// <summary>Output names.</summary>
    public List<string>? Outputs { get; set; }

    /// <summary><c>classifier</c>, <c>regressor</c> or <c>forecaster</c>.</summary>
    public string? OutputKind { get; set; }

    /// <summary><c>streaming</c> or <c>windowed</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>Samples per window.</summary>
    public int? Window { get; set; }

    /// <summary>Samples between windows.</summary>
    public int? Stride { get; set; }

    /// <summary>The sample rate in Hz the model was trained at.</summary>
    public float? SampleRateHz { get; set; }

    /// <summary>Reads a sidecar file.</summary>
    /// <exception cref="ConversionException">Missing file, invalid JSON, or an unknown property (the message names line and path).</exception>
    public static Sidecar Load(string path)
    {
        if (!File.Exists(path)) throw new ConversionException($"{path}: file not found.");
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SidecarJsonContext.Default.Sidecar)
                ?? throw new ConversionException($"{path}: the sidecar is 'null'; expected a JSON object.");
        }
        catch (JsonException e)
        {
            string at = e.LineNumber is { } line ? $" at line {line + 1}, {e.Path}" : "";
            throw new ConversionException($"{path}: invalid sidecar JSON{at}: {e.Message.Split(". Path:")[0]}", e);
        }
    }
}

/// <summary>Source-generated JSON metadata for <see cref="Sidecar"/> (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(Sidecar))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
