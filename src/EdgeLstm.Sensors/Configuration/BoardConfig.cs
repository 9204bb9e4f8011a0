using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// A board configuration file (firmware-config/*.json, schema firmware-config/board.schema.json). The
/// sensor sections are read by <c>SensorBoard</c>; <see cref="Model"/>, <see cref="Decision"/>,
/// <see cref="Sinks"/> and <see cref="Health"/> belong to the runtime and are only checked for shape here.
/// Unknown keys anywhere are errors.
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

    /// <summary>Gets the model to run (runtime section).</summary>
    public ModelConfig? Model { get; set; }

    /// <summary>Gets the decision stage settings (runtime section).</summary>
    public DecisionConfig? Decision { get; set; }

    /// <summary>Gets where frames go (runtime section).</summary>
    public IReadOnlyList<SinkConfig>? Sinks { get; set; }

    /// <summary>Gets health reporting settings (runtime section).</summary>
    public HealthConfig? Health { get; set; }

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
}

/// <summary>The alarm output.</summary>
public sealed class AlarmConfig
{
    /// <summary>Gets the GPIO pin (logical/BCM numbering).</summary>
    public required int Pin { get; set; }

    /// <summary>Gets a value indicating whether a high level means "alarm".</summary>
    public bool ActiveHigh { get; set; } = true;
}

/// <summary>The model to run (runtime section).</summary>
public sealed class ModelConfig
{
    /// <summary>Gets the path of the .elstm file, relative to the config file.</summary>
    public required string Path { get; set; }
}

/// <summary>What an alarm scores (runtime section; docs/runtime.md).</summary>
public enum AlarmScore
{
    /// <summary>Chosen from the model: classifiers "not the first class", models reproducing their inputs the residual.</summary>
    Auto,

    /// <summary>Σ |output − input of the same name| on normalized values (reconstruction error).</summary>
    Residual,

    /// <summary>As residual, with the previous prediction against the current sample (one-step forecast error).</summary>
    ForecastResidual,

    /// <summary>1 − the first output (a classifier whose first class is "normal").</summary>
    NotFirstOutput,

    /// <summary>One named output, e.g. a fault class's probability.</summary>
    Output,
}

/// <summary>One alarm of the decision stage (runtime section): what to score, and when to raise and clear.</summary>
public class AlarmRuleConfig
{
    /// <summary>Gets the alarm's name in frames and logs; defaults to the output name or "anomaly".</summary>
    public string? Name { get; set; }

    /// <summary>Gets what the alarm scores.</summary>
    public AlarmScore Score { get; set; } = AlarmScore.Auto;

    /// <summary>Gets the output scored when <see cref="Score"/> is <see cref="AlarmScore.Output"/>.</summary>
    public string? Output { get; set; }

    /// <summary>Gets the (smoothed) score above which the alarm is raised; required unless <see cref="Calibration"/> sets it.</summary>
    public double? Threshold { get; set; }

    /// <summary>Gets the score below which a raised alarm clears (hysteresis); defaults to the threshold.</summary>
    public double? ClearThreshold { get; set; }

    /// <summary>Gets how many consecutive samples must exceed the threshold before the alarm is raised.</summary>
    public int MinDurationSamples { get; set; } = 1;

    /// <summary>Gets the EWMA weight of the newest score, in (0, 1]; 1 = no smoothing.</summary>
    public double SmoothingAlpha { get; set; } = 1;

    /// <summary>
    /// Gets how many samples after start are not scored at all (not smoothed, not calibrated on, never alarming): a
    /// streaming model's state and the sensors' own averaging (a tachometer's window) start cold. Commissioning
    /// starts after them.
    /// </summary>
    public int WarmUpSamples { get; set; }

    /// <summary>Gets the commissioning step that sets the thresholds from the first samples after start.</summary>
    public CalibrationConfig? Calibration { get; set; }
}

/// <summary>
/// Commissioning: for the first <see cref="Samples"/> samples after start the alarm only watches; then
/// threshold = <see cref="Factor"/> × the <see cref="Quantile"/> of the smoothed scores seen, and
/// clearThreshold = <see cref="ClearRatio"/> × threshold.
/// </summary>
public sealed class CalibrationConfig
{
    /// <summary>Gets the number of samples (of normal operation) to calibrate on.</summary>
    public required int Samples { get; set; }

    /// <summary>Gets the quantile of the calibration scores, in (0, 1].</summary>
    public double Quantile { get; set; } = 0.99;

    /// <summary>Gets the factor applied to that quantile; above 0.</summary>
    public double Factor { get; set; } = 1;

    /// <summary>Gets clearThreshold as a fraction of threshold, in (0, 1].</summary>
    public double ClearRatio { get; set; } = 1;
}

/// <summary>The decision stage (runtime section): one alarm given inline, or several under <see cref="Alarms"/>.</summary>
public sealed class DecisionConfig : AlarmRuleConfig
{
    /// <summary>Gets several alarms (e.g. one per fault class); when given, the inline alarm fields must be absent.</summary>
    public IReadOnlyList<AlarmRuleConfig>? Alarms { get; set; }
}

/// <summary>Kinds of frame sinks.</summary>
public enum SinkKind
{
    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>A file.</summary>
    File,

    /// <summary>A TCP connection to a collector.</summary>
    Tcp,

    /// <summary>UDP datagrams to a collector.</summary>
    Udp,

    /// <summary>A serial port.</summary>
    Serial,
}

/// <summary>One frame sink (runtime section); which fields are needed depends on <see cref="Type"/>.</summary>
public sealed class SinkConfig
{
    /// <summary>Gets the sink kind.</summary>
    public required SinkKind Type { get; set; }

    /// <summary>Gets the file path (file sinks).</summary>
    public string? Path { get; set; }

    /// <summary>Gets the collector host (tcp and udp sinks).</summary>
    public string? Host { get; set; }

    /// <summary>Gets the collector port (tcp and udp sinks).</summary>
    public int? Port { get; set; }

    /// <summary>Gets the serial device, e.g. /dev/ttyAMA0 (serial sinks).</summary>
    public string? Device { get; set; }

    /// <summary>Gets the serial baud rate (serial sinks).</summary>
    public int? BaudRate { get; set; }
}

/// <summary>Health reporting (runtime section).</summary>
public sealed class HealthConfig
{
    /// <summary>Gets the interval between Health frames in seconds.</summary>
    public double IntervalSeconds { get; set; } = 10;
}
