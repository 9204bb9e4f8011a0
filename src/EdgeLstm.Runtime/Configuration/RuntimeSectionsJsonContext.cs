using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLstm.Runtime.Configuration;

/// <summary>Source-generated (AOT-safe) JSON metadata for the runtime's sections of a board file, with the board loader's options.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RuntimeSections))]
internal sealed partial class RuntimeSectionsJsonContext : JsonSerializerContext;
