namespace EdgeLstm.Sensors.Simulation;

/// <summary>A sensor that freezes: from <paramref name="startSeconds"/> on it keeps reporting the value it had then.</summary>
/// <param name="inner">The healthy signal.</param>
/// <param name="startSeconds">When the sensor sticks.</param>
public sealed class StuckFault(Signal inner, double startSeconds) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => inner.ValueAt(seconds < startSeconds ? seconds : startSeconds);
}

/// <summary>
/// A growing rotor imbalance: a vibration at the running frequency whose amplitude grows linearly from
/// zero at <paramref name="startSeconds"/>. Add it to an accelerometer axis.
/// </summary>
/// <param name="startSeconds">When the imbalance starts to grow.</param>
/// <param name="frequencyHz">Running (1×) frequency of the machine.</param>
/// <param name="growthPerSecond">Amplitude growth per second, in the axis unit (m/s² per s).</param>
public sealed class GrowingImbalanceFault(double startSeconds, double frequencyHz, double growthPerSecond) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) =>
        seconds <= startSeconds ? 0 : (seconds - startSeconds) * growthPerSecond * Math.Sin(2 * Math.PI * frequencyHz * seconds);
}

/// <summary>A sudden offset from <paramref name="startSeconds"/> on (a leak, a blocked valve, a calibration jump).</summary>
/// <param name="startSeconds">When the step happens.</param>
/// <param name="delta">Size of the step.</param>
public sealed class StepFault(double startSeconds, double delta) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => seconds < startSeconds ? 0 : delta;
}

/// <summary>
/// A sensor that produces no valid reading (NaN) inside a time window. Chips turn NaN into their own
/// "invalid" code: the BME280 reports 0x80000 (measurement skipped), the ADCs saturate at full scale.
/// </summary>
/// <param name="inner">The healthy signal.</param>
/// <param name="startSeconds">Start of the invalid window.</param>
/// <param name="endSeconds">End of the invalid window (exclusive); <see cref="double.PositiveInfinity"/> for never.</param>
public sealed class InvalidReadingFault(Signal inner, double startSeconds, double endSeconds) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) =>
        seconds >= startSeconds && seconds < endSeconds ? double.NaN : inner.ValueAt(seconds);
}
