using System.Device.Spi;
using System.Globalization;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A Microchip MCP3008 10-bit, 8-channel SPI ADC simulated bit by bit (datasheet DS21295D, §5 and
/// §6.1, Figures 5-1/6-1): after the start bit the chip clocks in SGL/DIFF and D2–D0, samples for one
/// clock, sends a null bit (0) and then B9…B0 MSB first, followed by the LSB-first copy. Code =
/// 1024·V<sub>IN</sub>/V<sub>REF</sub> (Eq. 4-2), clamped to 0–1023.
/// </summary>
public sealed class SimulatedMcp3008 : SpiDevice
{
    private readonly Signal[] _inputs;
    private readonly double _referenceVolts;
    private readonly string _description;

    /// <summary>Creates the chip.</summary>
    /// <param name="settings">SPI bus and chip select.</param>
    /// <param name="clock">Board clock.</param>
    /// <param name="referenceVolts">V<sub>REF</sub>.</param>
    /// <param name="inputs">Eight input voltages CH0–CH7 against AGND.</param>
    public SimulatedMcp3008(SpiConnectionSettings settings, MonotonicClock clock, double referenceVolts, IReadOnlyList<Signal> inputs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 8)
        {
            throw new ArgumentException("The MCP3008 has exactly 8 inputs.", nameof(inputs));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(referenceVolts);
        ConnectionSettings = settings;
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _referenceVolts = referenceVolts;
        _inputs = [.. inputs];
        _description = string.Create(CultureInfo.InvariantCulture, $"simulated MCP3008 at SPI bus {settings.BusId}, chip select {settings.ChipSelectLine}");
    }

    /// <inheritdoc />
    public override SpiConnectionSettings ConnectionSettings { get; }

    /// <summary>Gets the bus faults injected into this device's transfers.</summary>
    public BusFaults Faults { get; } = new();

    private MonotonicClock Clock { get; }

    /// <inheritdoc />
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Faults.OnTransaction(Clock, _description, isRead: true);
        readBuffer.Clear();
        int bits = Math.Min(writeBuffer.Length, readBuffer.Length) * 8;
        int start = -1;
        for (int i = 0; i < bits; i++)
        {
            if (Bit(writeBuffer, i))
            {
                start = i;
                break;
            }
        }

        if (start < 0 || start + 4 >= bits)
        {
            return; // no complete command: DOUT stays low (hi-Z reads as 0 here)
        }

        bool singleEnded = Bit(writeBuffer, start + 1);
        int select = (Bit(writeBuffer, start + 2) ? 4 : 0) | (Bit(writeBuffer, start + 3) ? 2 : 0) | (Bit(writeBuffer, start + 4) ? 1 : 0);
        int code = Convert(singleEnded, select);

        // start+5: sample clock; start+6: null bit (0); then B9..B0, then B1..B9 LSB first (Figure 6-1).
        int position = start + 7;
        for (int b = 9; b >= 0 && position < bits; b--, position++)
        {
            SetBit(readBuffer, position, ((code >> b) & 1) != 0);
        }

        for (int b = 1; b <= 9 && position < bits; b++, position++)
        {
            SetBit(readBuffer, position, ((code >> b) & 1) != 0);
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        Faults.OnTransaction(Clock, _description, isRead: true);
        buffer.Clear(); // no command clocked in: nothing to send
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer) => Faults.OnTransaction(Clock, _description, isRead: false);

    private int Convert(bool singleEnded, int select)
    {
        double t = Clock.NowSeconds;
        double volts;
        if (singleEnded)
        {
            volts = _inputs[select].ValueAt(t);
        }
        else
        {
            // Table 5-2: pairs (0,1), (2,3), (4,5), (6,7); the odd select codes swap IN+ and IN-.
            int pair = select & ~1;
            double a = _inputs[pair].ValueAt(t);
            double b = _inputs[pair + 1].ValueAt(t);
            volts = (select & 1) == 0 ? a - b : b - a;
        }

        if (double.IsNaN(volts))
        {
            return 1023;
        }

        double code = Math.Floor(1024 * volts / _referenceVolts);
        return code <= 0 ? 0 : code >= 1023 ? 1023 : (int)code;
    }

    private static bool Bit(ReadOnlySpan<byte> data, int index) => ((data[index >> 3] >> (7 - (index & 7))) & 1) != 0;

    private static void SetBit(Span<byte> data, int index, bool value)
    {
        if (value)
        {
            data[index >> 3] |= (byte)(1 << (7 - (index & 7)));
        }
    }
}
