using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Source-generated (AOT-safe) JSON metadata for board configs. Enums are camelCase strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true, // "type" need not be the first key of a device
    WriteIndented = true,
    Converters =
    [
        // Enums of a device's own settings carry the converter on their type, in the device's folder.
        typeof(CamelCaseEnumConverter<BoardHardware>), typeof(CamelCaseEnumConverter<ClockKind>), typeof(CamelCaseEnumConverter<FaultKind>),
    ])]
[JsonSerializable(typeof(BoardConfig))]
public sealed partial class BoardConfigJsonContext : JsonSerializerContext;

/// <summary>An enum as a camelCase string; numbers are rejected so typos cannot slip through as integers.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
