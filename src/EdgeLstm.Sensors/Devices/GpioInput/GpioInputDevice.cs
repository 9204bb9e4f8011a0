using System.Device.Gpio;

namespace EdgeLstm.Sensors.Devices;

/// <summary>A digital input (limit switch, valve position, float switch) as a 0/1 channel.</summary>
public sealed class GpioInputDevice : SensorDevice
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeLow;

    /// <summary>Opens the pin.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="gpio">The controller (not owned).</param>
    /// <param name="pin">Logical pin number.</param>
    /// <param name="inputMode">Input, InputPullUp or InputPullDown.</param>
    /// <param name="activeLow">Report 1 when the pin is low (a switch to ground with a pull-up).</param>
    public GpioInputDevice(string name, GpioController gpio, int pin, PinMode inputMode, bool activeLow)
        : base(name, 1)
    {
        _gpio = gpio ?? throw new ArgumentNullException(nameof(gpio));
        _pin = pin;
        _activeLow = activeLow;
        _gpio.OpenPin(pin, inputMode);
    }

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        bool high = _gpio.Read(_pin) == PinValue.High;
        values[0] = high != _activeLow ? 1f : 0f;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gpio.ClosePin(_pin);
        }

        base.Dispose(disposing);
    }
}
