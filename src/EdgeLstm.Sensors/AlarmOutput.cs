using System.Device.Gpio;

namespace EdgeLstm.Sensors;

/// <summary>
/// The alarm pin the runtime drives (a relay, beacon or PLC input). It writes the pin only when its level changes,
/// and can be set from any thread.
/// <para>
/// Normally the output is energized while an alarm is signalled. <b>Fail-safe</b> turns that round: the output is
/// energized only while the runtime is monitoring (<see cref="SetMonitoring"/>) and no alarm is signalled, so an alarm,
/// a clean shutdown ("not monitored"), a process that died or a board without power all read as one thing at the relay:
/// de-energized. That last part depends on the wiring: a pin the process no longer holds must de-energize the relay
/// (docs/sensors.md).
/// </para>
/// </summary>
public sealed class AlarmOutput : IDisposable
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly bool _activeHigh;
    private readonly bool _failSafe;
    private readonly Lock _gate = new();
    private bool _active;
    private bool _monitoring;
    private bool _energized;
    private bool _disposed;

    /// <summary>Opens the pin as an output, de-energized (no alarm; in fail-safe mode also "not monitored" yet).</summary>
    /// <param name="gpio">The controller (not owned).</param>
    /// <param name="pin">Logical pin number.</param>
    /// <param name="activeHigh">True if a high level energizes the output.</param>
    /// <param name="failSafe">True for fail-safe: energized while monitoring with no alarm, de-energized otherwise.</param>
    public AlarmOutput(GpioController gpio, int pin, bool activeHigh, bool failSafe = false)
    {
        _gpio = gpio ?? throw new ArgumentNullException(nameof(gpio));
        _pin = pin;
        _activeHigh = activeHigh;
        _failSafe = failSafe;
        _gpio.OpenPin(pin, PinMode.Output);
        _gpio.Write(pin, Level(energized: false));
    }

    /// <summary>Gets the pin number.</summary>
    public int Pin => _pin;

    /// <summary>Gets a value indicating whether the output is fail-safe (energized means "monitored, no alarm").</summary>
    public bool IsFailSafe => _failSafe;

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

    /// <summary>Gets a value indicating whether the output is energized right now.</summary>
    public bool IsEnergized
    {
        get
        {
            lock (_gate)
            {
                return _energized;
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

            _active = active;
            TransitionCount++;
            Apply();
        }
    }

    /// <summary>
    /// Says whether the runtime is monitoring: call with true once the board samples and with false when it stops. Only a
    /// fail-safe output shows it (energized while monitoring with no alarm); a normal output ignores it.
    /// </summary>
    /// <param name="monitoring">True while samples flow through the decision.</param>
    public void SetMonitoring(bool monitoring)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _monitoring = monitoring;
            Apply();
        }
    }

    /// <summary>De-energizes the output (no alarm; fail-safe: not monitored) and releases the pin.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _gpio.Write(_pin, Level(energized: false));
            _energized = false;
            _gpio.ClosePin(_pin);
            _disposed = true;
        }
    }

    private void Apply()
    {
        bool energized = _failSafe ? _monitoring && !_active : _active;
        if (energized != _energized)
        {
            _gpio.Write(_pin, Level(energized));
            _energized = energized;
        }
    }

    private PinValue Level(bool energized) => energized == _activeHigh ? PinValue.High : PinValue.Low;
}
