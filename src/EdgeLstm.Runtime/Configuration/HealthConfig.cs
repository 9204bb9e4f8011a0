namespace EdgeLstm.Runtime.Configuration;

/// <summary>Health reporting.</summary>
public sealed class HealthConfig
{
    /// <summary>Gets the interval between Health frames in seconds.</summary>
    public double IntervalSeconds { get; set; } = 10;
}
