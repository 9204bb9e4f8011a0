namespace EdgeLstm.Sensors.Simulation;

/// <summary>
/// A sensor that freezes: from <paramref name="startSeconds"/> until <paramref name="endSeconds"/> it keeps reporting
/// the value it had at the start, then reads the live signal again.
/// </summary>
/// <param name="inner">The healthy signal.</param>
/// <param name="startSeconds">When the sensor sticks.</param>
/// <param name="endSeconds">When it comes free (exclusive); <see cref="double.PositiveInfinity"/> for never.</param>
public sealed class StuckFault(Signal inner, double startSeconds, double endSeconds = double.PositiveInfinity) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => inner.ValueAt(seconds >= startSeconds && seconds < endSeconds ? startSeconds : seconds);
}

/// <summary>
/// A growing rotor imbalance: a vibration at the running frequency whose amplitude grows linearly from
/// zero at <paramref name="startSeconds"/> (until <paramref name="endSeconds"/>, when it is balanced again). Add it
/// to an accelerometer axis.
/// </summary>
/// <param name="startSeconds">When the imbalance starts to grow.</param>
/// <param name="frequencyHz">Running (1×) frequency of the machine.</param>
/// <param name="growthPerSecond">Amplitude growth per second, in the axis unit (m/s² per s).</param>
/// <param name="endSeconds">When it is gone (exclusive); <see cref="double.PositiveInfinity"/> for never.</param>
public sealed class GrowingImbalanceFault(double startSeconds, double frequencyHz, double growthPerSecond, double endSeconds = double.PositiveInfinity) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) =>
        seconds <= startSeconds || seconds >= endSeconds ? 0 : (seconds - startSeconds) * growthPerSecond * Math.Sin(2 * Math.PI * frequencyHz * seconds);
}

/// <summary>
/// A sudden offset from <paramref name="startSeconds"/> until <paramref name="endSeconds"/> (a leak, a blocked valve, a
/// calibration jump; with an end, a supply sag).
/// </summary>
/// <param name="startSeconds">When the step happens.</param>
/// <param name="delta">Size of the step.</param>
/// <param name="endSeconds">When the offset goes away (exclusive); <see cref="double.PositiveInfinity"/> for never.</param>
public sealed class StepFault(double startSeconds, double delta, double endSeconds = double.PositiveInfinity) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => seconds < startSeconds || seconds >= endSeconds ? 0 : delta;
}

/// <summary>
/// An offset that grows linearly from zero at <paramref name="startSeconds"/> until <paramref name="endSeconds"/> (a
/// failing enclosure fan, a fouling sensor, a transmitter losing its calibration). Unlike a signal's own drift it
/// starts late, so the board has a normal period before it.
/// </summary>
/// <param name="startSeconds">When the drift starts.</param>
/// <param name="perSecond">Change per second, in the input's unit.</param>
/// <param name="endSeconds">When the offset goes away (exclusive); <see cref="double.PositiveInfinity"/> for never.</param>
public sealed class DriftFault(double startSeconds, double perSecond, double endSeconds = double.PositiveInfinity) : Signal
{
    /// <inheritdoc />
    public override double ValueAt(double seconds) => seconds < startSeconds || seconds >= endSeconds ? 0 : (seconds - startSeconds) * perSecond;
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
