using System.Buffers.Binary;
using System.Device.I2c;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A TI INA219 current/power monitor at register level (datasheet SBOS448G, §8.5–8.6): a pointer byte
/// selecting six 16-bit big-endian registers. Shunt voltage = I·R<sub>shunt</sub> (LSB 10 µV, saturating
/// at the PGA range), bus voltage in bits 15:3 (LSB 4 mV) with CNVR/OVF, current = shunt × calibration
/// / 4096 (Eq. 4) and power = current × bus / 5000 (Eq. 5). Conversions complete instantly.
/// </summary>
public sealed class SimulatedIna219 : SimulatedI2cDevice
{
    private const ushort ConfigResetValue = 0x399F; // 32 V range, ±320 mV, 12-bit, shunt and bus continuous

    private readonly Signal _current;
    private readonly Signal _busVoltage;
    private readonly double _shuntOhms;
    private Ina219Register _pointer;
    private ushort _config = ConfigResetValue;
    private ushort _calibration;

    /// <summary>Creates the chip.</summary>
    /// <param name="settings">Bus and address (0x40–0x4F).</param>
    /// <param name="clock">Board clock.</param>
    /// <param name="shuntOhms">The shunt resistor on the board.</param>
    /// <param name="current">Current through the shunt in amperes.</param>
    /// <param name="busVoltage">Bus voltage (V<sub>IN-</sub> to GND) in volts.</param>
    public SimulatedIna219(I2cConnectionSettings settings, MonotonicClock clock, double shuntOhms, Signal current, Signal busVoltage)
        : base(settings, clock, "INA219")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shuntOhms);
        _shuntOhms = shuntOhms;
        _current = current ?? throw new ArgumentNullException(nameof(current));
        _busVoltage = busVoltage ?? throw new ArgumentNullException(nameof(busVoltage));
    }


    /// <inheritdoc />
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = (Ina219Register)data[0];
        if (data.Length < 3)
        {
            return;
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(1, 2));
        if (_pointer == Ina219Register.Configuration)
        {
            bool reset = (value & 0x8000) != 0;
            _config = reset ? ConfigResetValue : value;
            if (reset)
            {
                _calibration = 0;
            }
        }
        else if (_pointer == Ina219Register.Calibration)
        {
            _calibration = (ushort)(value & 0xFFFE); // bit 0 is not used (§8.6.3.6)
        }
    }

    /// <inheritdoc />
    protected override void OnRead(Span<byte> buffer)
    {
        ushort value = _pointer switch
        {
            Ina219Register.Configuration => _config,
            Ina219Register.ShuntVoltage => (ushort)ShuntCode(),
            Ina219Register.BusVoltage => BusRegister(),
            Ina219Register.Power => (ushort)PowerCode(),
            Ina219Register.Current => (ushort)CurrentCode(),
            Ina219Register.Calibration => _calibration,
            _ => 0,
        };

        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(word, value);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = word[i & 1];
        }
    }

    private short ShuntCode()
    {
        // PG bits 12:11 select ±40/80/160/320 mV; the reading saturates at the range.
        double rangeVolts = 0.040 * (1 << ((_config >> 11) & 3));
        int limit = (int)Math.Round(rangeVolts / 10e-6);
        return (short)ToCode(_current.ValueAt(NowSeconds) * _shuntOhms, 10e-6, -limit, limit);
    }

    private int BusCode()
    {
        double rangeVolts = (_config & 0x2000) != 0 ? 32 : 16;
        return ToCode(_busVoltage.ValueAt(NowSeconds), 0.004, 0, (int)(rangeVolts / 0.004));
    }

    private ushort BusRegister()
    {
        // CNVR (bit 1) set: a conversion is ready; OVF (bit 0) if the power or current math overflowed.
        int power = PowerRaw();
        bool overflow = power > ushort.MaxValue || Math.Abs(CurrentRaw()) > short.MaxValue;
        return (ushort)((BusCode() << 3) | 0x2 | (overflow ? 1 : 0));
    }

    private int CurrentRaw() => ShuntCode() * _calibration / 4096;

    private short CurrentCode() => (short)Math.Clamp(CurrentRaw(), short.MinValue, short.MaxValue);

    private int PowerRaw() => Math.Abs(CurrentRaw()) * BusCode() / 5000;

    private ushort PowerCode() => (ushort)Math.Min(PowerRaw(), ushort.MaxValue);
}
