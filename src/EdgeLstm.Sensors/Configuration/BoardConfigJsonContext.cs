using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Replay;

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
        typeof(CamelCaseEnumConverter<BoardHardware>), typeof(CamelCaseEnumConverter<ClockKind>), typeof(CamelCaseEnumConverter<SinkKind>),
        typeof(CamelCaseEnumConverter<PullMode>), typeof(CamelCaseEnumConverter<FaultKind>), typeof(CamelCaseEnumConverter<ReplayTiming>),
        typeof(CamelCaseEnumConverter<VibrationAxis>), typeof(CamelCaseEnumConverter<VibrationStatistic>), typeof(CamelCaseEnumConverter<Bme280Quantity>),
        typeof(CamelCaseEnumConverter<Ina219Quantity>), typeof(CamelCaseEnumConverter<TachometerQuantity>), typeof(CamelCaseEnumConverter<AlarmScore>),
    ])]
[JsonSerializable(typeof(BoardConfig))]
public sealed partial class BoardConfigJsonContext : JsonSerializerContext;

/// <summary>An enum as a camelCase string; numbers are rejected so typos cannot slip through as integers.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
