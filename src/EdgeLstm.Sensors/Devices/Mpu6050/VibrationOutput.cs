using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Sensors.Devices;

/// <summary>An accelerometer axis (or the vector magnitude).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<VibrationAxis>))]
public enum VibrationAxis
{
    /// <summary>X axis.</summary>
    X,

    /// <summary>Y axis.</summary>
    Y,

    /// <summary>Z axis.</summary>
    Z,

    /// <summary>|a| = √(x² + y² + z²).</summary>
    Magnitude,
}

/// <summary>A statistic of the vibration over one sub-window.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<VibrationStatistic>))]
public enum VibrationStatistic
{
    /// <summary>Root mean square of the deviation from the window mean (the AC part).</summary>
    Rms,

    /// <summary>Largest absolute deviation from the window mean.</summary>
    Peak,

    /// <summary>Mean (the DC part: gravity and tilt).</summary>
    Mean,
}

/// <summary>One vibration channel: a statistic of one axis.</summary>
/// <param name="Axis">The axis.</param>
/// <param name="Statistic">The statistic.</param>
public readonly record struct VibrationOutput(VibrationAxis Axis, VibrationStatistic Statistic);
