using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Sensors.Devices;

/// <summary>How a replay maps sampler time to recording rows.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ReplayTiming>))]
public enum ReplayTiming
{
    /// <summary>By the recorded timestamps (scaled by the speed): each sample gets the row current at that
    /// moment, and inside a gap in the recording channels read NaN (held, then bad, by the sampler).</summary>
    Recorded,

    /// <summary>One row per sample, ignoring the timestamps.</summary>
    Sequential,
}
