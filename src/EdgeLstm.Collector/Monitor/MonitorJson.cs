using System.Text.Json.Serialization;

namespace EdgeLstm.Collector.Monitor;

/// <summary>What the device page hands its script: where its live events come from.</summary>
internal sealed record LiveSettings(string Events);

/// <summary>One live event: the redrawn output chart and how many predictions it shows.</summary>
internal sealed record LiveUpdate(int Predictions, string Chart);

/// <summary>The monitor's JSON (camelCase), generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LiveSettings))]
[JsonSerializable(typeof(LiveUpdate))]
internal sealed partial class MonitorJson : JsonSerializerContext;
