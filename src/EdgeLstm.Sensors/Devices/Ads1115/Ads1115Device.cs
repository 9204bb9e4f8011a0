using Iot.Device.Ads1115;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Up to four single-ended or two differential inputs of an ADS1115 read with the bindings' raw API.
/// Volts are computed here (code × full scale / 32768) because <c>Ads1115.ReadVoltage</c> returns a
/// UnitsNet quantity that adds about 6 MB to the AOT binary (docs/sensors.md).
/// </summary>
public sealed class Ads1115Device : SensorDevice
{
    private readonly Ads1115 _adc;
    private readonly InputMultiplexer[] _inputs;
    private readonly MeasuringRange _range;
    private readonly DataRate _dataRate;
    private readonly double _voltsPerCode;

    /// <summary>Creates the device over a constructed binding.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="adc">The binding; owned and disposed by this device.</param>
    /// <param name="inputs">One multiplexer setting per channel, in channel order.</param>
    /// <param name="range">Programmable gain (full-scale range).</param>
    /// <param name="dataRate">Conversion rate.</param>
    public Ads1115Device(string name, Ads1115 adc, IReadOnlyList<InputMultiplexer> inputs, MeasuringRange range, DataRate dataRate)
        : base(name, inputs?.Count ?? 0)
    {
        _adc = adc ?? throw new ArgumentNullException(nameof(adc));
        _inputs = [.. inputs!];
        _range = range;
        _dataRate = dataRate;
        _voltsPerCode = FullScaleVolts(range) / 32768.0;
    }

    /// <summary>Gets the full-scale voltage of a range (datasheet Table 8).</summary>
    /// <param name="range">The range.</param>
    /// <returns>Volts.</returns>
    public static double FullScaleVolts(MeasuringRange range) => range switch
    {
        MeasuringRange.FS6144 => 6.144,
        MeasuringRange.FS4096 => 4.096,
        MeasuringRange.FS2048 => 2.048,
        MeasuringRange.FS1024 => 1.024,
        MeasuringRange.FS0512 => 0.512,
        MeasuringRange.FS0256 => 0.256,
        _ => throw new ArgumentOutOfRangeException(nameof(range), range, "Unknown ADS1115 range."),
    };

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        for (int i = 0; i < _inputs.Length; i++)
        {
            // Single-shot mode: each read selects the input, starts one conversion and waits for it.
            short code = _adc.ReadRaw(_inputs[i], _range, _dataRate);
            values[i] = (float)(code * _voltsPerCode);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _adc.Dispose();
        }

        base.Dispose(disposing);
    }
}
