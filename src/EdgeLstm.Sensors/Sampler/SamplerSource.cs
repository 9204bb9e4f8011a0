namespace EdgeLstm.Sensors;

/// <summary>A device plus the specs of its channels, in the device's output order.</summary>
/// <param name="Device">The device.</param>
/// <param name="Channels">One spec per device output.</param>
public sealed record SamplerSource(SensorDevice Device, IReadOnlyList<ChannelSpec> Channels);
