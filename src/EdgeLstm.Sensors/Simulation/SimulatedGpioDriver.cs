using System.Device.Gpio;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Simulation;

/// <summary>
/// A GPIO driver with simulated pins, for <c>new GpioController(driver)</c>. Input pins follow a level
/// signal (high when &gt; 0.5) or a 50 % duty pulse train whose frequency is a signal (a tachometer);
/// output pins record what was written. Edges are generated lazily against the board clock whenever the
/// driver is used (or <see cref="Update"/> is called), and callbacks receive cached event arguments so a
/// running pulse train allocates nothing.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private const double MaxIntegrationStepSeconds = 0.0005;
    private readonly MonotonicClock _clock;
    private readonly SimulatedPin[] _pins;

    /// <summary>Creates a driver with <paramref name="pinCount"/> pins numbered from 0.</summary>
    /// <param name="clock">Board clock.</param>
    /// <param name="pinCount">Number of pins (28 on a Raspberry Pi header).</param>
    public SimulatedGpioDriver(MonotonicClock clock, int pinCount = 28)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pinCount);
        _pins = new SimulatedPin[pinCount];
        for (int i = 0; i < pinCount; i++)
        {
            _pins[i] = new SimulatedPin(i);
        }
    }

    /// <inheritdoc />
    protected override int PinCount => _pins.Length;

    /// <summary>Drives an input pin with a level signal (high when the value is &gt; 0.5).</summary>
    /// <param name="pin">Pin number.</param>
    /// <param name="level">The level signal.</param>
    public void SetLevelInput(int pin, Signal level)
    {
        SimulatedPin p = Pin(pin);
        p.Level = level ?? throw new ArgumentNullException(nameof(level));
        p.Frequency = null;
        p.LastValue = level.ValueAt(_clock.NowSeconds) > 0.5;
    }

    /// <summary>Drives an input pin with a square wave whose frequency in Hz is <paramref name="frequencyHz"/>.</summary>
    /// <param name="pin">Pin number.</param>
    /// <param name="frequencyHz">Pulse frequency signal (negative or NaN counts as 0).</param>
    public void SetPulseInput(int pin, Signal frequencyHz)
    {
        SimulatedPin p = Pin(pin);
        p.Frequency = frequencyHz ?? throw new ArgumentNullException(nameof(frequencyHz));
        p.Level = null;
        p.Phase = 0;
        p.PhaseTime = _clock.NowSeconds;
        p.LastValue = false;
    }

    /// <summary>Gets the value last written to an output pin.</summary>
    /// <param name="pin">Pin number.</param>
    /// <returns>The value.</returns>
    public PinValue OutputValue(int pin) => Pin(pin).LastValue ? PinValue.High : PinValue.Low;

    /// <summary>Gets how many times an output pin was written.</summary>
    /// <param name="pin">Pin number.</param>
    /// <returns>The count.</returns>
    public int WriteCount(int pin) => Pin(pin).WriteCount;

    /// <summary>Generates every edge due up to the clock's current time.</summary>
    public void Update()
    {
        double now = _clock.NowSeconds;
        foreach (SimulatedPin p in _pins)
        {
            if (p.IsOpen && p.Frequency is not null)
            {
                AdvancePulses(p, now);
            }
            else if (p.IsOpen && p.Level is not null)
            {
                SetInputValue(p, p.Level.ValueAt(now) > 0.5);
            }
        }
    }

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber) => Pin(pinNumber).IsOpen = true;

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        SimulatedPin p = Pin(pinNumber);
        p.IsOpen = false;
        p.RisingCallbacks = null;
        p.FallingCallbacks = null;
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode) => Pin(pinNumber).Mode = mode;

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber) => Pin(pinNumber).Mode;

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber)
    {
        Update();
        return Pin(pinNumber).LastValue ? PinValue.High : PinValue.Low;
    }

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        SimulatedPin p = Pin(pinNumber);
        p.LastValue = value == PinValue.High;
        p.WriteCount++;
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The simulated GPIO driver delivers edges through callbacks only.");

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        SimulatedPin p = Pin(pinNumber);
        if ((eventTypes & PinEventTypes.Rising) != 0)
        {
            p.RisingCallbacks += callback;
        }

        if ((eventTypes & PinEventTypes.Falling) != 0)
        {
            p.FallingCallbacks += callback;
        }
    }

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        SimulatedPin p = Pin(pinNumber);
        p.RisingCallbacks -= callback;
        p.FallingCallbacks -= callback;
    }

    private SimulatedPin Pin(int pin)
    {
        if ((uint)pin >= (uint)_pins.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"The simulated GPIO has pins 0–{_pins.Length - 1}.");
        }

        return _pins[pin];
    }

    private static void AdvancePulses(SimulatedPin p, double now)
    {
        // Integrate frequency into phase (trapezoid, small steps); every half cycle is one edge.
        while (p.PhaseTime < now)
        {
            double step = Math.Min(MaxIntegrationStepSeconds, now - p.PhaseTime);
            double f0 = SafeFrequency(p.Frequency!.ValueAt(p.PhaseTime));
            double f1 = SafeFrequency(p.Frequency.ValueAt(p.PhaseTime + step));
            double newPhase = p.Phase + 0.5 * (f0 + f1) * step;
            long halfCycles = (long)Math.Floor(newPhase * 2) - (long)Math.Floor(p.Phase * 2);
            for (long i = 0; i < halfCycles; i++)
            {
                SetInputValue(p, !p.LastValue);
            }

            p.Phase = newPhase;
            p.PhaseTime += step;
        }
    }

    /// <summary>
    /// The fastest pulse train the simulation generates, edge by edge: above what a GPIO input counts in practice,
    /// and a bound on the work per sample (a hostile config asking for 2³¹ Hz would otherwise stall the board).
    /// </summary>
    public const double MaxPulseHz = 100_000;

    private static double SafeFrequency(double f) => double.IsNaN(f) || f < 0 ? 0 : Math.Min(f, MaxPulseHz);

    private static void SetInputValue(SimulatedPin p, bool high)
    {
        if (p.LastValue == high)
        {
            return;
        }

        p.LastValue = high;
        if (high)
        {
            p.RisingCallbacks?.Invoke(p, p.RisingArgs);
        }
        else
        {
            p.FallingCallbacks?.Invoke(p, p.FallingArgs);
        }
    }

    private sealed class SimulatedPin(int number)
    {
        public PinValueChangedEventArgs RisingArgs { get; } = new(PinEventTypes.Rising, number);

        public PinValueChangedEventArgs FallingArgs { get; } = new(PinEventTypes.Falling, number);

        public bool IsOpen { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public bool LastValue { get; set; }

        public int WriteCount { get; set; }

        public Signal? Level { get; set; }

        public Signal? Frequency { get; set; }

        public double Phase { get; set; }

        public double PhaseTime { get; set; }

        public PinChangeEventHandler? RisingCallbacks { get; set; }

        public PinChangeEventHandler? FallingCallbacks { get; set; }
    }
}
