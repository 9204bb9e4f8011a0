using System.Text.Json.Serialization;

namespace EdgeLstm.Collector.Storage;

/// <summary>The JSON the store writes into text columns (channel names, labels, per-channel counts).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(uint[]))]
internal sealed partial class CollectorJson : JsonSerializerContext;
