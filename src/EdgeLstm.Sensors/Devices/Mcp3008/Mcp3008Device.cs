using Iot.Device.Adc;

namespace EdgeLstm.Sensors.Devices;

/// <summary>Channels of an MCP3008 read with the bindings' <c>Mcp3008.Read(channel)</c> and scaled to volts (code · V<sub>REF</sub> / 1024).</summary>
public sealed class Mcp3008Device : SensorDevice
{
    private readonly Mcp3008 _adc;
    private readonly int[] _inputs;
    private readonly double _voltsPerCode;

    /// <summary>Creates the device.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="adc">The binding; owned and disposed by this device.</param>
    /// <param name="inputs">Single-ended input (0–7) per channel, in channel order.</param>
    /// <param name="referenceVolts">V<sub>REF</sub> on the board.</param>
    public Mcp3008Device(string name, Mcp3008 adc, IReadOnlyList<int> inputs, double referenceVolts)
        : base(name, inputs?.Count ?? 0)
    {
        _adc = adc ?? throw new ArgumentNullException(nameof(adc));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceVolts);
        _inputs = [.. inputs!];
        _voltsPerCode = referenceVolts / 1024.0;
    }

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        for (int i = 0; i < _inputs.Length; i++)
        {
            values[i] = (float)(_adc.Read(_inputs[i]) * _voltsPerCode);
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
