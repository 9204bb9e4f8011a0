using System.Device.I2c;
using System.Globalization;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Simulation;

/// <summary>
/// Base for our simulated I2C chips. It derives from the bindings' <see cref="I2cSimulatedDeviceBase"/> but
/// overrides every span-based transfer: the base copies each transfer into new arrays, which would allocate
/// on every sample. Each transfer first passes through <see cref="Faults"/>, so any chip can NACK,
/// disappear or take time.
/// </summary>
public abstract class SimulatedI2cDevice : I2cSimulatedDeviceBase
{
    private readonly string _description;

    /// <summary>Initialises the device at the given bus and address.</summary>
    /// <param name="settings">Bus id and 7-bit address.</param>
    /// <param name="clock">The board clock, read by signals and advanced by <see cref="BusFaults.TransactionNanoseconds"/>.</param>
    /// <param name="chipName">Chip name for messages, e.g. "ADS1115".</param>
    protected SimulatedI2cDevice(I2cConnectionSettings settings, MonotonicClock clock, string chipName)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _description = string.Create(CultureInfo.InvariantCulture, $"simulated {chipName} at I2C bus {settings.BusId}, address 0x{settings.DeviceAddress:X2}");
    }

    /// <summary>Gets the bus faults injected into this device's transactions.</summary>
    public BusFaults Faults { get; } = new();

    /// <summary>Gets the board clock.</summary>
    protected MonotonicClock Clock { get; }

    /// <summary>Gets the time now, in seconds, for evaluating signals.</summary>
    protected double NowSeconds => Clock.NowSeconds;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Faults.OnTransaction(Clock, _description, isRead: false);
        OnWrite(buffer);
    }

    /// <inheritdoc />
    public override void WriteByte(byte value)
    {
        Faults.OnTransaction(Clock, _description, isRead: false);
        OnWrite([value]);
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        Faults.OnTransaction(Clock, _description, isRead: true);
        OnRead(buffer);
    }

    /// <inheritdoc />
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        // One transaction with a repeated start: the write sets the pointer, the read follows it.
        Faults.OnTransaction(Clock, _description, isRead: true);
        OnWrite(writeBuffer);
        OnRead(readBuffer);
    }

    /// <inheritdoc />
    public override void WriteRead(byte[] inputBuffer, byte[] outputBuffer) => WriteRead(inputBuffer.AsSpan(), outputBuffer.AsSpan());

    /// <summary>Handles the bytes the controller writes (usually a register pointer, then data).</summary>
    /// <param name="data">The bytes written.</param>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>Fills <paramref name="buffer"/> with what the chip sends back.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    protected abstract void OnRead(Span<byte> buffer);

    /// <summary>Converts a physical value to a signed ADC code, saturating; NaN saturates high like a floating input.</summary>
    /// <param name="value">Physical value.</param>
    /// <param name="lsb">Value of one code step.</param>
    /// <param name="min">Smallest code.</param>
    /// <param name="max">Largest code.</param>
    /// <returns>The code.</returns>
    protected static int ToCode(double value, double lsb, int min, int max)
    {
        if (double.IsNaN(value))
        {
            return max;
        }

        double code = Math.Round(value / lsb);
        return code <= min ? min : code >= max ? max : (int)code;
    }
}
