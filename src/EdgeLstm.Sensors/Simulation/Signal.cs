namespace EdgeLstm.Sensors.Simulation;

/// <summary>
/// A physical quantity as a function of time, in the unit the simulated chip measures (volts, m/s², °C, …).
/// Signals are pure functions of time, so any number of register reads at the same instant agree and a
/// run repeats exactly for the same seed.
/// </summary>
public abstract class Signal
{
    /// <summary>Gets the value at <paramref name="seconds"/> since the clock origin; NaN means "no valid reading".</summary>
    /// <param name="seconds">Time since the clock origin.</param>
    /// <returns>The value in the chip's unit.</returns>
    public abstract double ValueAt(double seconds);
}

/// <summary>A value that never changes.</summary>
/// <param name="value">The constant value.</param>
public sealed class ConstantSignal(double value) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => value;
}

/// <summary><c>offset + amplitude·sin(2π·f·t + phase)</c>.</summary>
/// <param name="offset">Mean value.</param>
/// <param name="amplitude">Peak deviation from the mean.</param>
/// <param name="frequencyHz">Frequency in hertz.</param>
/// <param name="phaseRadians">Phase at t = 0.</param>
public sealed class SineSignal(double offset, double amplitude, double frequencyHz, double phaseRadians = 0) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => offset + amplitude * Math.Sin(2 * Math.PI * frequencyHz * seconds + phaseRadians);
}

/// <summary>A linear drift, <c>slope·t</c>, e.g. a sensor ageing or a bearing warming up.</summary>
/// <param name="slopePerSecond">Change per second.</param>
public sealed class DriftSignal(double slopePerSecond) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => slopePerSecond * seconds;
}

/// <summary>
/// Zero-mean Gaussian noise that is a pure function of (seed, time): it hashes the time instead of keeping
/// a generator state, so it is allocation-free, thread-safe and repeatable.
/// </summary>
/// <param name="standardDeviation">Standard deviation of the noise.</param>
/// <param name="seed">Selects an independent noise sequence.</param>
public sealed class NoiseSignal(double standardDeviation, ulong seed) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds)
    {
        ulong h = Mix(seed ^ (ulong)BitConverter.DoubleToInt64Bits(seconds));
        ulong h2 = Mix(h);
        // Box–Muller on two uniforms in (0, 1].
        double u1 = ((h >> 11) + 1) * (1.0 / 9007199254740992.0);
        double u2 = (h2 >> 11) * (1.0 / 9007199254740992.0);
        return standardDeviation * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // SplitMix64 finaliser: a well-mixed 64-bit hash.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The sum of several signals (e.g. sine + noise + drift + an imbalance fault).</summary>
/// <param name="parts">The signals to add.</param>
public sealed class SumSignal(params Signal[] parts) : Signal
{
    private readonly Signal[] _parts = (Signal[])parts.Clone();

    /// <inheritdoc />
    public override double ValueAt(double seconds)
    {
        double sum = 0;
        foreach (Signal part in _parts)
        {
            sum += part.ValueAt(seconds);
        }

        return sum;
    }
}
