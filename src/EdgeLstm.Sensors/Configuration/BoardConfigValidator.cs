using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// The checks that need the whole config: names, addresses and pins unique, values inside what the chips
/// can do, the sample rate achievable by every chip, replay files readable. Every problem is collected.
/// </summary>
internal sealed partial class BoardConfigValidator(BoardConfig config, string baseDirectory, List<ConfigProblem> problems)
{
    private readonly Dictionary<string, string> _channelNames = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _pins = [];
    private readonly Dictionary<(int Bus, int Address), string> _i2cAddresses = [];

    /// <summary>Recordings loaded while validating, by replay device, so the board does not parse them twice.</summary>
    public Dictionary<ReplayConfig, CsvRecording> Recordings { get; } = new(ReferenceEqualityComparer.Instance);

    public void Validate()
    {
        ValidateSampler();
        if (config.Devices.Count == 0)
        {
            Add("$.devices", "the board has no devices.", "Add at least one device, e.g. { \"type\": \"ads1115\", \"name\": \"adc\", \"channels\": [ ... ] }.");
        }

        ReserveBusPins();
        var deviceNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < config.Devices.Count; i++)
        {
            DeviceConfig d = config.Devices[i];
            string path = $"$.devices[{i}]";
            if (string.IsNullOrWhiteSpace(d.Name))
            {
                Add($"{path}.name", "the device name is empty.", "Give every device a short unique name, e.g. \"adc0\".");
            }
            else if (!deviceNames.TryAdd(d.Name, i))
            {
                Add($"{path}.name", $"device name '{d.Name}' is already used by $.devices[{deviceNames[d.Name]}].", "Device names must be unique on a board.");
            }

            ValidateChannels(d, path);
            ValidateDevice(d, path);
            ValidateSimulation(d, path);
        }

        if (config.Alarm is { } alarm)
        {
            ClaimPin(alarm.Pin, "$.alarm.pin", "the alarm output");
        }
    }

    private void ValidateSampler()
    {
        if (config.Board.GpioChip < 0)
        {
            Add("$.board.gpioChip", $"GPIO chip {config.Board.GpioChip} is negative.", "Use the N of /dev/gpiochipN that holds the header pins (0 on a Raspberry Pi).");
        }

        SamplerConfig s = config.Sampler;
        if (!(s.RateHz > 0 && s.RateHz <= 10_000))
        {
            Add("$.sampler.rateHz", $"sample rate {Num(s.RateHz)} Hz is outside 0 < rate ≤ 10000 Hz.", "Models here are trained at 1 Hz to 1 kHz; pick the rate the model was trained at.");
        }

        if (s.HoldLimit < 0)
        {
            Add("$.sampler.holdLimit", "holdLimit is negative.", "Use 0 (never hold) or a small number of samples such as 5.");
        }

        if (s.ReadDeadlineMilliseconds is { } deadline && !(deadline >= 1 && deadline <= SamplerOptions.MaxReadDeadline.TotalMilliseconds))
        {
            Add("$.sampler.readDeadlineMilliseconds", $"readDeadlineMilliseconds {Num(deadline)} is outside 1 – 60000 ms.", "Omit it for one sample period (at least 50 ms, at most 1 s), or give the longest a healthy read may take.");
        }

        if (s.MaxBackoffSamples < 1)
        {
            Add("$.sampler.maxBackoffSamples", "maxBackoffSamples must be at least 1.", "Use e.g. 64: a gone device is retried at least every 64 samples.");
        }

        if (s.Clock == ClockKind.Fast && config.ReadsRealHardware())
        {
            Add("$.sampler.clock", "the fast clock cannot drive real hardware.", "Use \"realtime\", or set \"board.simulated\": true.");
        }
    }

    private void ReserveBusPins()
    {
        if (config.Board.Hardware == BoardHardware.Generic || config.Board.Simulated)
        {
            return;
        }

        // Raspberry Pi header: I2C1 on GPIO 2/3, SPI0 on GPIO 7–11 (CE1, CE0, MISO, MOSI, SCLK).
        if (config.Devices.OfType<I2cDeviceConfig>().FirstOrDefault(d => d.Bus == 1) is { } i2c)
        {
            _pins[2] = $"SDA of I2C bus 1 (used by '{i2c.Name}')";
            _pins[3] = $"SCL of I2C bus 1 (used by '{i2c.Name}')";
        }

        if (config.Devices.FirstOrDefault(d => d.SpiBusInUse == 0) is { } spi)
        {
            foreach ((int pin, string role) in new[] { (7, "CE1"), (8, "CE0"), (9, "MISO"), (10, "MOSI"), (11, "SCLK") })
            {
                _pins[pin] = $"{role} of SPI bus 0 (used by '{spi.Name}')";
            }
        }
    }

    private void ValidateChannels(DeviceConfig d, string path)
    {
        IReadOnlyList<ChannelConfig> channels = d.GetChannels();
        if (channels.Count == 0)
        {
            Add($"{path}.channels", $"device '{d.Name}' has no channels.", "List at least one channel, or remove the device.");
        }

        for (int j = 0; j < channels.Count; j++)
        {
            ChannelConfig c = channels[j];
            string cp = $"{path}.channels[{j}]";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                Add($"{cp}.name", "the channel name is empty.", "Name channels after what they measure, e.g. \"pump_current\".");
            }
            else if (!_channelNames.TryAdd(c.Name, cp))
            {
                Add($"{cp}.name", $"channel name '{c.Name}' is already used at {_channelNames[c.Name]}.", "Channel names must be unique on the board: the model's inputs are matched by name.");
            }

            // Bounded so that reading × scale + offset of any value a chip can report stays far inside float's range.
            if (!(Math.Abs(c.Scale) is >= MinScale and <= MaxScale))
            {
                Add($"{cp}.scale", $"scale {Num(c.Scale)} is outside ±{Num(MinScale)}…{Num(MaxScale)} (and must not be 0).", "Use 1 for no scaling; convert units so the factor is a plausible one.");
            }

            if (!(Math.Abs(c.Offset) <= MaxOffset))
            {
                Add($"{cp}.offset", $"offset {Num(c.Offset)} is outside ±{Num(MaxOffset)}.", "Use 0 for no offset.");
            }

            foreach ((string key, double? limit) in (ReadOnlySpan<(string, double?)>)[("min", c.Min), ("max", c.Max)])
            {
                if (limit is { } value && !(Math.Abs(value) <= float.MaxValue))
                {
                    Add($"{cp}.{key}", $"{key} {Num(value)} is beyond the float range (±3.4e38) samples are kept in.", "Leave it out for no limit.");
                }
            }

            if (c.Min is { } min && c.Max is { } max && min > max)
            {
                Add($"{cp}.min", $"min {Num(min)} is greater than max {Num(max)}.", "Swap them, or remove one.");
            }
        }
    }

    /// <summary>The smallest magnitude of a channel's scale.</summary>
    public const double MinScale = 1e-15;

    /// <summary>The largest magnitude of a channel's scale.</summary>
    public const double MaxScale = 1e15;

    /// <summary>The largest magnitude of a channel's offset.</summary>
    public const double MaxOffset = 1e15;

    /// <summary>Takes a GPIO pin for one use; a pin used twice, or missing from the Raspberry Pi header, is a problem.</summary>
    internal void ClaimPin(int pin, string path, string user)
    {
        bool raspberryPi = config.Board.Hardware is BoardHardware.RaspberryPi4 or BoardHardware.RaspberryPi5;
        if (pin < 0 || (raspberryPi && pin > BoardConfig.RaspberryPiMaxGpio))
        {
            Add(path, $"GPIO {pin} does not exist{(raspberryPi ? " on the Raspberry Pi header" : "")}.", raspberryPi ? "Use BCM numbers 0–27 (not physical pin numbers)." : "Use a non-negative GPIO number.");
            return;
        }

        if (!_pins.TryAdd(pin, user))
        {
            Add(path, $"GPIO {pin} for {user} is already taken by {_pins[pin]}.", "Each pin can have one use; move one of them to a free GPIO.");
        }
    }

    /// <summary>Adds a problem at a JSON path.</summary>
    internal void AddProblem(string path, string message, string hint) => problems.Add(new ConfigProblem(path, message, hint));

    private void Add(string path, string message, string hint) => AddProblem(path, message, hint);

    private static string Num(double x) => ConfigText.Num(x);

    private static string List<T>(IEnumerable<T> values) => ConfigText.List(values);
}
