using System.Device.Gpio;

namespace EdgeLstm.Sensors;

/// <summary>
/// The alarm pin the runtime drives (a relay, beacon or PLC input). It starts inactive, writes the pin only
/// when the state changes, and can be set from any thread.
/// </summary>
public sealed class AlarmOutput : IDisposable
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeHigh;
    private readonly Lock _gate = new();
    private bool _active;
    private bool _disposed;

    /// <summary>Opens the pin as an output at its inactive level.</summary>
    /// <param name="gpio">The controller (not owned).</param>
    /// <param name="pin">Logical pin number.</param>
    /// <param name="activeHigh">True if the alarm is signalled by a high level.</param>
    public AlarmOutput(GpioController gpio, int pin, bool activeHigh)
    {
        _gpio = gpio ?? throw new ArgumentNullException(nameof(gpio));
        _pin = pin;
        _activeHigh = activeHigh;
        _gpio.OpenPin(pin, PinMode.Output);
        _gpio.Write(pin, activeHigh ? PinValue.Low : PinValue.High);
    }

    /// <summary>Gets the pin number.</summary>
    public int Pin => _pin;

    /// <summary>Gets a value indicating whether the alarm is currently signalled.</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>Gets how many times the alarm changed state.</summary>
    public int TransitionCount { get; private set; }

    /// <summary>Signals or clears the alarm; a no-op if the state does not change.</summary>
    /// <param name="active">The new state.</param>
    public void Set(bool active)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (active == _active)
            {
                return;
            }

            _gpio.Write(_pin, active == _activeHigh ? PinValue.High : PinValue.Low);
            _active = active;
            TransitionCount++;
        }
    }

    /// <summary>Clears the alarm and releases the pin.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _gpio.Write(_pin, _activeHigh ? PinValue.Low : PinValue.High);
            _gpio.ClosePin(_pin);
            _disposed = true;
        }
    }
}
