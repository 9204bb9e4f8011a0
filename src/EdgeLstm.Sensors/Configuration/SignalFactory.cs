using EdgeLstm.Sensors.Simulation;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Builds <see cref="Signal"/>s from config.</summary>
public static class SignalFactory
{
    /// <summary>Builds a signal: offset, sine, drift and noise summed, then the faults applied in order.</summary>
    /// <param name="config">The signal config.</param>
    /// <returns>The signal.</returns>
    public static Signal Create(SignalConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var parts = new List<Signal> { config.Amplitude != 0 ? new SineSignal(config.Offset, config.Amplitude, config.FrequencyHz, config.PhaseRadians) : new ConstantSignal(config.Offset) };
        if (config.DriftPerSecond != 0)
        {
            parts.Add(new DriftSignal(config.DriftPerSecond));
        }

        if (config.Noise > 0)
        {
            parts.Add(new NoiseSignal(config.Noise, config.Seed));
        }

        Signal signal = parts.Count == 1 ? parts[0] : new SumSignal([.. parts]);
        foreach (FaultConfig f in config.Faults ?? [])
        {
            double end = f.EndSeconds ?? double.PositiveInfinity;
            signal = f.Kind switch
            {
                FaultKind.Stuck => new StuckFault(signal, f.StartSeconds, end),
                FaultKind.Invalid => new InvalidReadingFault(signal, f.StartSeconds, end),
                FaultKind.Imbalance => new SumSignal(signal, new GrowingImbalanceFault(f.StartSeconds, f.FrequencyHz ?? 0, f.GrowthPerSecond ?? 0, end)),
                FaultKind.Drift => new SumSignal(signal, new DriftFault(f.StartSeconds, f.GrowthPerSecond ?? 0, end)),
                _ => new SumSignal(signal, new StepFault(f.StartSeconds, f.Delta ?? 0, end)),
            };
        }

        return signal;
    }
}
