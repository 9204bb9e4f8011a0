using System.Device.Gpio;
using System.Text.Json.Serialization;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>What a tachometer channel reports.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<TachometerQuantity>))]
public enum TachometerQuantity
{
    /// <summary>Pulse frequency in Hz.</summary>
    Frequency,

    /// <summary>Shaft speed in revolutions per minute.</summary>
    Rpm,

    /// <summary>Pulses counted since the previous sample (a flow meter or counter input).</summary>
    Pulses,
}

/// <summary>
/// Counts rising edges on a GPIO input (a Hall or optical pickup, a flow meter) through the controller's edge
/// callback and turns them into pulse counts, frequency or RPM, averaged over the last <c>averagingSamples</c> samples so slow
/// pulse trains still resolve. The callback runs on the driver's event thread, hence the interlocked count.
/// Intervals are measured on the clock at the moment of each read (not the sample's grid time), so a read
/// that starts late does not inflate the rate.
/// </summary>
public sealed class TachometerDevice : SensorDevice
{
    private readonly GpioController _gpio;
    private readonly MonotonicClock _clock;
    private readonly int _pin;
    private readonly double _pulsesPerRevolution;
    private readonly TachometerQuantity[] _quantities;
    private readonly long[] _countHistory;
    private readonly long[] _timeHistory;
    private readonly PinChangeEventHandler _onEdge;
    private long _pulses;
    private long _previousCount;
    private int _filled;
    private int _next;

    /// <summary>Opens the pin and starts counting.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="gpio">The controller (not owned).</param>
    /// <param name="clock">The board clock, read at each sample to measure the interval.</param>
    /// <param name="pin">Logical pin number.</param>
    /// <param name="inputMode">Input, InputPullUp or InputPullDown.</param>
    /// <param name="pulsesPerRevolution">Pulses per shaft revolution.</param>
    /// <param name="quantities">One quantity per channel.</param>
    /// <param name="averagingSamples">Samples the frequency is averaged over (≥ 1).</param>
    public TachometerDevice(string name, GpioController gpio, MonotonicClock clock, int pin, PinMode inputMode, double pulsesPerRevolution, IReadOnlyList<TachometerQuantity> quantities, int averagingSamples)
        : base(name, quantities?.Count ?? 0)
    {
        _gpio = gpio ?? throw new ArgumentNullException(nameof(gpio));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pulsesPerRevolution);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(averagingSamples);
        _pin = pin;
        _pulsesPerRevolution = pulsesPerRevolution;
        _quantities = [.. quantities!];
        _countHistory = new long[averagingSamples + 1];
        _timeHistory = new long[averagingSamples + 1];
        _onEdge = (_, _) => Interlocked.Increment(ref _pulses);
        _gpio.OpenPin(pin, inputMode);
        _gpio.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising, _onEdge);
    }

    /// <summary>Gets the total number of pulses counted since start.</summary>
    public long TotalPulses => Interlocked.Read(ref _pulses);

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        // Reading the level costs one register access on hardware and lets a simulated driver catch up.
        _gpio.Read(_pin);
        long count = Interlocked.Read(ref _pulses);
        long now = _clock.NowNanoseconds;

        _countHistory[_next] = count;
        _timeHistory[_next] = now;
        int oldest = _filled < _countHistory.Length - 1 ? 0 : (_next + 1) % _countHistory.Length;
        _next = (_next + 1) % _countHistory.Length;
        _filled = Math.Min(_filled + 1, _countHistory.Length - 1);

        long dt = now - _timeHistory[oldest];
        double hz = dt > 0 ? (count - _countHistory[oldest]) * 1e9 / dt : double.NaN; // NaN until two samples exist
        long sincePrevious = count - _previousCount;
        _previousCount = count;
        for (int i = 0; i < _quantities.Length; i++)
        {
            values[i] = _quantities[i] switch
            {
                TachometerQuantity.Frequency => (float)hz,
                TachometerQuantity.Rpm => (float)(hz * 60 / _pulsesPerRevolution),
                _ => sincePrevious,
            };
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gpio.UnregisterCallbackForPinValueChangedEvent(_pin, _onEdge);
            _gpio.ClosePin(_pin);
        }

        base.Dispose(disposing);
    }
}
