namespace EdgeLstm.Sensors.Configuration;

/// <summary>How a device is simulated: signals on its physical inputs and faults on its bus.</summary>
public sealed class SimulationConfig
{
    /// <summary>Gets signals by chip input name (e.g. "ain0", "accelX", "temperature", "frequency").</summary>
    public IReadOnlyDictionary<string, SignalConfig>? Inputs { get; set; }

    /// <summary>Gets injected bus faults.</summary>
    public BusFaultConfig? Bus { get; set; }
}

/// <summary>
/// A signal: <c>offset + amplitude·sin(2π·frequencyHz·t + phaseRadians) + driftPerSecond·t + noise</c>, then faults.
/// </summary>
public sealed class SignalConfig
{
    /// <summary>Gets the mean value.</summary>
    public double Offset { get; set; }

    /// <summary>Gets the sine amplitude.</summary>
    public double Amplitude { get; set; }

    /// <summary>Gets the sine frequency in Hz.</summary>
    public double FrequencyHz { get; set; }

    /// <summary>Gets the sine phase at t = 0.</summary>
    public double PhaseRadians { get; set; }

    /// <summary>Gets the standard deviation of Gaussian noise.</summary>
    public double Noise { get; set; }

    /// <summary>Gets the noise seed (each input should have its own).</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Gets the linear drift per second.</summary>
    public double DriftPerSecond { get; set; }

    /// <summary>Gets the faults, applied in order.</summary>
    public IReadOnlyList<FaultConfig>? Faults { get; set; }
}

/// <summary>Kinds of injected sensor faults.</summary>
public enum FaultKind
{
    /// <summary>The reading freezes from <see cref="FaultConfig.StartSeconds"/>.</summary>
    Stuck,

    /// <summary>A vibration at <see cref="FaultConfig.FrequencyHz"/> growing by <see cref="FaultConfig.GrowthPerSecond"/>.</summary>
    Imbalance,

    /// <summary>A step of <see cref="FaultConfig.Delta"/>.</summary>
    Step,

    /// <summary>No valid reading between start and end.</summary>
    Invalid,

    /// <summary>An offset growing by <see cref="FaultConfig.GrowthPerSecond"/> per second (a failing fan, a fouling sensor).</summary>
    Drift,
}

/// <summary>One injected fault.</summary>
public sealed class FaultConfig
{
    /// <summary>Gets the fault kind.</summary>
    public required FaultKind Kind { get; set; }

    /// <summary>Gets when the fault starts (seconds on the board clock).</summary>
    public required double StartSeconds { get; set; }

    /// <summary>Gets when the fault ends (exclusive; null: it never does). A stuck sensor reads live again, an offset goes away.</summary>
    public double? EndSeconds { get; set; }

    /// <summary>Gets the imbalance frequency.</summary>
    public double? FrequencyHz { get; set; }

    /// <summary>Gets the growth per second: an imbalance's amplitude, a drift's offset.</summary>
    public double? GrowthPerSecond { get; set; }

    /// <summary>Gets the step size.</summary>
    public double? Delta { get; set; }
}

/// <summary>Bus faults of a simulated device.</summary>
public sealed class BusFaultConfig
{
    /// <summary>Gets n: every n-th read fails (0 = never).</summary>
    public int FailEveryNthRead { get; set; }

    /// <summary>Gets when the device disappears from the bus.</summary>
    public double? DisconnectedFromSeconds { get; set; }

    /// <summary>Gets when it comes back.</summary>
    public double? DisconnectedUntilSeconds { get; set; }

    /// <summary>Gets when the bus hangs: a transaction from then on does not return until <see cref="BlockedUntilSeconds"/>
    /// (a stuck I2C bus; the sampler abandons the read at its deadline).</summary>
    public double? BlockedFromSeconds { get; set; }

    /// <summary>Gets when a hung transaction returns and the bus works again (null: never).</summary>
    public double? BlockedUntilSeconds { get; set; }

    /// <summary>Gets how long each bus transaction takes (advances a fast clock only).</summary>
    public double TransactionMicroseconds { get; set; }
}
