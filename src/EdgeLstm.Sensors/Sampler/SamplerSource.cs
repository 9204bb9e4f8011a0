namespace EdgeLstm.Sensors;

/// <summary>A device plus the specs of its channels, in the device's output order.</summary>
/// <param name="Device">The device.</param>
/// <param name="Channels">One spec per device output.</param>
/// <param name="ReadCanBlock">True if a read can block (a bus device: a stuck I2C bus, a chip stretching the clock): the
/// sampler then reads it on its own thread under <see cref="SamplerOptions.ReadDeadline"/>. False reads it directly on
/// the sampling thread (in-memory sources, GPIO levels), which is cheaper.</param>
public sealed record SamplerSource(SensorDevice Device, IReadOnlyList<ChannelSpec> Channels, bool ReadCanBlock = false);
