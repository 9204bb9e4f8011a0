namespace EdgeLstm.Runtime.Configuration;

/// <summary>Health reporting.</summary>
public sealed class HealthConfig
{
    /// <summary>The shortest interval: more often than 10 Health frames a second is noise, not health.</summary>
    public const double MinIntervalSeconds = 0.1;

    /// <summary>The longest interval (one day): a board silent for longer cannot be told from a dead one.</summary>
    public const double MaxIntervalSeconds = 86_400;

    /// <summary>Gets the interval between Health frames in seconds, in [<see cref="MinIntervalSeconds"/>, <see cref="MaxIntervalSeconds"/>].</summary>
    public double IntervalSeconds { get; set; } = 10;
}
