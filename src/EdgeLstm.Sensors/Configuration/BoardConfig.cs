using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// The sensor sections of a board file (firmware-config/*.json, schema firmware-config/board.schema.json), read by
/// <c>SensorBoard</c>. The other sections (the runtime's model, decision, sinks, health) belong to the project that owns
/// them, which reads them through <see cref="BoardFileSections{TSections}"/>. Unknown keys anywhere are errors.
/// </summary>
public sealed class BoardConfig
{
    /// <summary>Gets the JSON Schema reference editors use; ignored by the loader.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }

    /// <summary>Gets what board this is.</summary>
    public required BoardInfo Board { get; set; }

    /// <summary>Gets the sampling rate and bad-read policy.</summary>
    public required SamplerConfig Sampler { get; set; }

    /// <summary>Gets the sensor devices, read in this order; channels appear in frames in the same order.</summary>
    public required IReadOnlyList<DeviceConfig> Devices { get; set; }

    /// <summary>Gets the alarm output pin, if the board has one.</summary>
    public AlarmConfig? Alarm { get; set; }

    /// <summary>
    /// Whether the board reads real devices (it is not simulated and not every device is a replay): such a board must
    /// sample on the wall clock, never on the fast clock. A method, so the JSON model does not see it.
    /// </summary>
    /// <returns>True for a board with real hardware.</returns>
    public bool ReadsRealHardware() => !Board.Simulated && Devices.Any(d => d.ReadsHardware);

    /// <summary>Highest GPIO number on the 40-pin header of a Raspberry Pi 4/5.</summary>
    internal const int RaspberryPiMaxGpio = 27;
}

/// <summary>The board kinds whose pin maps the validator knows.</summary>
public enum BoardHardware
{
    /// <summary>Raspberry Pi 4 (BCM2711, GPIO 0–27 on the header).</summary>
    RaspberryPi4,

    /// <summary>Raspberry Pi 5 (RP1, GPIO 0–27 on the header).</summary>
    RaspberryPi5,

    /// <summary>Any other Linux board: pins are not range-checked.</summary>
    Generic,
}

/// <summary>Identifies the board.</summary>
public sealed class BoardInfo
{
    /// <summary>Gets the board name, sent in Hello frames.</summary>
    public required string Name { get; set; }

    /// <summary>Gets a free-text description.</summary>
    public string? Description { get; set; }

    /// <summary>Gets the board kind.</summary>
    public BoardHardware Hardware { get; set; } = BoardHardware.Generic;

    /// <summary>Gets a value indicating whether every device is simulated at register level instead of opened on real buses.</summary>
    public bool Simulated { get; set; }

    /// <summary>Gets the GPIO chip (/dev/gpiochipN) of the header pins: 0 on a Raspberry Pi 4, and on a Pi 5 with a current
    /// kernel (older Pi 5 kernels used 4).</summary>
    public int GpioChip { get; set; }
}

/// <summary>Which clock drives sampling.</summary>
public enum ClockKind
{
    /// <summary>The monotonic system clock: samples at real time.</summary>
    Realtime,

    /// <summary>A manual clock that jumps to each deadline: as fast as possible (simulation and replay only).</summary>
    Fast,
}

/// <summary>Sampler settings.</summary>
public sealed class SamplerConfig
{
    /// <summary>Gets the sample rate in Hz.</summary>
    public required double RateHz { get; set; }

    /// <summary>Gets how many consecutive failed samples a channel holds its last good value.</summary>
    public int HoldLimit { get; set; } = 5;

    /// <summary>Gets the longest retry backoff in samples.</summary>
    public int MaxBackoffSamples { get; set; } = 64;

    /// <summary>Gets the clock.</summary>
    public ClockKind Clock { get; set; } = ClockKind.Realtime;

    /// <summary>
    /// Gets how long, in wall-clock milliseconds, the sampler waits for one read of a bus device (I2C, SPI) before it
    /// abandons that read for the sample; null: one sample period, at least 50 ms and at most 1 s.
    /// </summary>
    public double? ReadDeadlineMilliseconds { get; set; }
}

/// <summary>The alarm output.</summary>
public sealed class AlarmConfig
{
    /// <summary>Gets the GPIO pin (logical/BCM numbering).</summary>
    public required int Pin { get; set; }

    /// <summary>Gets a value indicating whether a high level energizes the output (relay coil, beacon); without
    /// <see cref="FailSafe"/>, that is the alarm.</summary>
    public bool ActiveHigh { get; set; } = true;

    /// <summary>
    /// Gets a value indicating whether the output is fail-safe: energized while the runtime samples with no alarm, and
    /// de-energized on an alarm, at shutdown and when the process is not running. False (default): energized on an alarm.
    /// </summary>
    public bool FailSafe { get; set; }
}
