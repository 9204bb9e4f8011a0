using System.Buffers.Binary;
using System.Device.I2c;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A TI ADS1115 16-bit ADC at register level (datasheet SBAS444D, §9.5–9.6): a 2-bit pointer register
/// selecting four 16-bit big-endian registers; the config register's MUX, PGA, MODE and OS bits drive
/// conversions of four analog inputs given as <see cref="Signal"/>s in volts. Conversions complete
/// instantly (OS reads back 1); the data-rate limit is checked by config validation instead.
/// </summary>
public sealed class SimulatedAds1115 : SimulatedI2cDevice
{
    private const ushort ConfigResetValue = 0x8583; // §9.6.3: AIN0–AIN1, ±2.048 V, single-shot, 128 SPS, comparator off
    private const ushort OsBit = 0x8000;
    private const ushort ModeSingleShotBit = 0x0100;

    // PGA full-scale voltages for codes 000–111 (§9.6.3, Table 8); 101–111 all mean ±0.256 V.
    private static readonly double[] FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];

    private readonly Signal[] _inputs;
    private Ads1115Register _pointer;
    private ushort _config = ConfigResetValue;
    private ushort _loThreshold = 0x8000;
    private ushort _hiThreshold = 0x7FFF;
    private short _conversion;

    /// <summary>Creates the chip.</summary>
    /// <param name="settings">Bus and address (0x48–0x4B depending on the ADDR pin).</param>
    /// <param name="clock">Board clock.</param>
    /// <param name="ain0">Voltage on AIN0 against GND.</param>
    /// <param name="ain1">Voltage on AIN1 against GND.</param>
    /// <param name="ain2">Voltage on AIN2 against GND.</param>
    /// <param name="ain3">Voltage on AIN3 against GND.</param>
    public SimulatedAds1115(I2cConnectionSettings settings, MonotonicClock clock, Signal ain0, Signal ain1, Signal ain2, Signal ain3)
        : base(settings, clock, "ADS1115")
    {
        _inputs = [ain0, ain1, ain2, ain3];
        foreach (Signal s in _inputs)
        {
            ArgumentNullException.ThrowIfNull(s);
        }
    }


    /// <summary>Gets the config register as last written (for tests).</summary>
    public ushort ConfigRegister => _config;

    /// <inheritdoc />
    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _pointer = (Ads1115Register)(data[0] & 0x03);
        if (data.Length < 3)
        {
            return; // pointer-only write, ahead of a read
        }

        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(1, 2));
        switch (_pointer)
        {
            case Ads1115Register.Config:
                WriteConfig(value);
                break;
            case Ads1115Register.LoThreshold:
                _loThreshold = value;
                break;
            case Ads1115Register.HiThreshold:
                _hiThreshold = value;
                break;
            default:
                break; // the conversion register is read-only
        }
    }

    /// <inheritdoc />
    protected override void OnRead(Span<byte> buffer)
    {
        ushort value = _pointer switch
        {
            Ads1115Register.Conversion => (ushort)ReadConversion(),
            Ads1115Register.Config => (ushort)(_config | OsBit), // OS = 1: no conversion in progress
            Ads1115Register.LoThreshold => _loThreshold,
            _ => _hiThreshold,
        };

        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(word, value);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = word[i & 1];
        }
    }

    private void WriteConfig(ushort value)
    {
        _config = (ushort)(value & ~OsBit);
        bool singleShot = (value & ModeSingleShotBit) != 0;
        if (!singleShot || (value & OsBit) != 0)
        {
            _conversion = Convert();
        }
    }

    private short ReadConversion()
    {
        if ((_config & ModeSingleShotBit) == 0)
        {
            _conversion = Convert(); // continuous mode: always the latest conversion
        }

        return _conversion;
    }

    private short Convert()
    {
        int mux = (_config >> 12) & 0x7;
        double t = NowSeconds;
        double volts = mux switch
        {
            0 => _inputs[0].ValueAt(t) - _inputs[1].ValueAt(t),
            1 => _inputs[0].ValueAt(t) - _inputs[3].ValueAt(t),
            2 => _inputs[1].ValueAt(t) - _inputs[3].ValueAt(t),
            3 => _inputs[2].ValueAt(t) - _inputs[3].ValueAt(t),
            _ => _inputs[mux - 4].ValueAt(t),
        };

        double fullScale = FullScale[(_config >> 9) & 0x7];
        return (short)ToCode(volts, fullScale / 32768.0, short.MinValue, short.MaxValue);
    }
}
