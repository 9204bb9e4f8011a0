using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using System.Device.Spi;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Replay;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;
using Iot.Device.Adc;
using Iot.Device.Ads1115;
using Iot.Device.Imu;

namespace EdgeLstm.Sensors;

/// <summary>
/// A board built from a validated config: the devices on real buses (or simulated chips behind the same
/// bindings when <c>board.simulated</c> is true), the <see cref="Sampler"/> over them, and the alarm output.
/// This is what the runtime holds.
/// </summary>
public sealed class SensorBoard : IDisposable
{
    private readonly Dictionary<string, BusFaults> _busFaults = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];
    private readonly string _baseDirectory;
    private readonly IReadOnlyDictionary<int, CsvRecording> _recordings;
    private readonly List<string> _startupErrors = [];
    private GpioController? _gpio;

    private SensorBoard(LoadedBoardConfig loaded, MonotonicClock? clock)
    {
        Config = loaded.Config;
        _baseDirectory = loaded.BaseDirectory;
        _recordings = loaded.Recordings;
        Clock = clock ?? (Config.Sampler.Clock == ClockKind.Fast ? new ManualClock() : new SystemMonotonicClock());
        if (Config.Board.Simulated)
        {
            SimulatedGpio = new SimulatedGpioDriver(Clock, Config.Board.Hardware == BoardHardware.Generic ? 64 : ChipLimits.RaspberryPiMaxGpio + 1);
        }

        var sources = new List<SamplerSource>();
        for (int i = 0; i < Config.Devices.Count; i++)
        {
            DeviceConfig d = Config.Devices[i];
            var device = new RetryingDevice(d.Name, d.GetChannels().Count, () => CreateDevice(d, i));
            if (device.StartupError is not null)
            {
                _startupErrors.Add($"{d.Name}: {device.StartupError}");
            }

            sources.Add(new SamplerSource(device, [.. d.GetChannels().Select(ToSpec)]));
        }

        Sampler = new Sampler(sources, new SamplerOptions { RateHz = Config.Sampler.RateHz, HoldLimit = Config.Sampler.HoldLimit, MaxBackoffSamples = Config.Sampler.MaxBackoffSamples }, Clock);
        if (Config.Alarm is { } alarm)
        {
            try
            {
                Alarm = new AlarmOutput(Gpio, alarm.Pin, alarm.ActiveHigh);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An alarm relay that silently does nothing is worse than a board that does not start.
                Sampler.Dispose();
                throw new IOException($"The alarm output on GPIO {alarm.Pin} could not be opened ({ex.GetType().Name}: {ex.Message}). "
                    + "Check that the board has GPIO (libgpiod, /dev/gpiochip*) and that this user may use it, or remove \"alarm\" from the config.", ex);
            }
        }
    }

    /// <summary>Gets the config the board was built from.</summary>
    public BoardConfig Config { get; }

    /// <summary>Gets the board clock.</summary>
    public MonotonicClock Clock { get; }

    /// <summary>Gets the sampler over all devices.</summary>
    public Sampler Sampler { get; }

    /// <summary>Gets the alarm output, if configured.</summary>
    public AlarmOutput? Alarm { get; }

    /// <summary>Gets the devices that could not be created at start-up (they are retried while sampling).</summary>
    public IReadOnlyList<string> StartupErrors => _startupErrors;

    /// <summary>Gets the simulated GPIO driver on a simulated board (to read the alarm pin, for example).</summary>
    public SimulatedGpioDriver? SimulatedGpio { get; }

    /// <summary>Gets the bus-fault controls of each simulated bus device, by device name (empty on real hardware).</summary>
    public IReadOnlyDictionary<string, BusFaults> SimulatedBusFaults => _busFaults;

    // The libgpiod (v1 API, libgpiod.so.2 as on Raspberry Pi OS Bookworm) driver is named explicitly: the default
    // controller also links the libgpiod v2 event reader, which carries a trim warning (IL2091) that would fail an
    // AOT publish with warnings as errors.
    private GpioController Gpio => _gpio ??= Own(SimulatedGpio is null
        ? new GpioController(new LibGpiodDriver(Config.Board.GpioChip))
        : new GpioController(SimulatedGpio));

    /// <summary>Loads, validates and builds a board.</summary>
    /// <param name="configPath">The board JSON file.</param>
    /// <param name="clock">Overrides the clock the config asks for (tests).</param>
    /// <returns>The board.</returns>
    /// <exception cref="BoardConfigException">The config is invalid.</exception>
    /// <exception cref="IOException">The alarm pin cannot be opened (absent sensors do not throw: see <see cref="StartupErrors"/>).</exception>
    public static SensorBoard Load(string configPath, MonotonicClock? clock = null) => Create(BoardConfigLoader.Load(configPath), clock);

    /// <summary>Builds a board from a validated config.</summary>
    /// <param name="loaded">The config.</param>
    /// <param name="clock">Overrides the clock the config asks for (tests).</param>
    /// <returns>The board.</returns>
    public static SensorBoard Create(LoadedBoardConfig loaded, MonotonicClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return new SensorBoard(loaded, clock);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Alarm?.Dispose();
        Sampler.Dispose();
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private static ChannelSpec ToSpec(ChannelConfig c) =>
        new(c.Name, c.Unit ?? "", c.Scale, c.Offset, c.Min ?? double.NegativeInfinity, c.Max ?? double.PositiveInfinity);

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private SensorDevice CreateDevice(DeviceConfig d, int index) => d switch
    {
        Ads1115Config c => new Ads1115Device(c.Name, new Ads1115(OpenI2c(c), deviceMode: DeviceMode.PowerDown),
            [.. c.Channels.Select(ch => AdsInput(ch.Input))], AdsRange(c.FullScaleVolts), AdsRate(c.DataRate)),
        Mcp3008Config c => new Mcp3008Device(c.Name, new Mcp3008(OpenSpi(c)), [.. c.Channels.Select(ch => ch.Input)], c.ReferenceVolts),
        Mpu6050Config c => new Mpu6050VibrationDevice(c.Name, OpenI2c(c), [.. c.Channels.Select(ch => new VibrationOutput(ch.Axis, ch.Statistic))], c.Window,
            (AccelerometerRange)(int)Math.Log2(c.AccelerometerRangeG / 2)),
        Bme280Config c => new Bme280Device(c.Name, OpenI2c(c), [.. c.Channels.Select(ch => ch.Quantity)], ChipLimits.Bme280Oversampling(c.Oversampling)),
        Ina219Config c => new Ina219Device(c.Name, OpenI2c(c), [.. c.Channels.Select(ch => ch.Quantity)], c.ShuntOhms, c.MaxCurrentAmperes,
            c.BusVoltageRange == 16 ? Ina219BusVoltageRange.Range16v : Ina219BusVoltageRange.Range32v,
            c.ShuntRangeMillivolts switch { 40 => Ina219PgaSensitivity.PlusOrMinus40mv, 80 => Ina219PgaSensitivity.PlusOrMinus80mv, 160 => Ina219PgaSensitivity.PlusOrMinus160mv, _ => Ina219PgaSensitivity.PlusOrMinus320mv }),
        TachometerConfig c => CreateTachometer(c),
        GpioInputConfig c => CreateGpioInput(c),
        ReplayConfig c => CreateReplay(c, index),
        _ => throw new InvalidOperationException($"Unknown device type {d.GetType().Name}."),
    };

    private TachometerDevice CreateTachometer(TachometerConfig c)
    {
        SimulatedGpio?.SetPulseInput(c.Pin, SimulatedInput(c, "frequency", 0));
        return new TachometerDevice(c.Name, Gpio, Clock, c.Pin, PinModeOf(c.Pull), c.PulsesPerRevolution, [.. c.Channels.Select(ch => ch.Quantity)], c.AveragingSamples);
    }

    private GpioInputDevice CreateGpioInput(GpioInputConfig c)
    {
        SimulatedGpio?.SetLevelInput(c.Pin, SimulatedInput(c, "level", 0));
        return new GpioInputDevice(c.Name, Gpio, c.Pin, PinModeOf(c.Pull), c.ActiveLow);
    }

    private CsvReplayDevice CreateReplay(ReplayConfig c, int index)
    {
        CsvRecording recording = _recordings.TryGetValue(index, out CsvRecording? r) ? r : CsvRecording.Load(Path.Combine(_baseDirectory, c.File), c.TimeColumn);
        return new CsvReplayDevice(c.Name, recording, [.. c.Channels.Select(ch => recording.IndexOf(ch.Column ?? ch.Name))], c.Timing, c.Speed, c.Loop);
    }

    private I2cDevice OpenI2c(I2cDeviceConfig c)
    {
        var settings = new I2cConnectionSettings(c.Bus, c.Address.Value);
        if (!Config.Board.Simulated)
        {
            return I2cDevice.Create(settings);
        }

        SimulatedI2cDevice chip = c switch
        {
            Ads1115Config => new SimulatedAds1115(settings, Clock, SimulatedInput(c, "ain0", 0), SimulatedInput(c, "ain1", 0), SimulatedInput(c, "ain2", 0), SimulatedInput(c, "ain3", 0)),
            Mpu6050Config => new SimulatedMpu6050(settings, Clock, SimulatedInput(c, "accelX", 0), SimulatedInput(c, "accelY", 0), SimulatedInput(c, "accelZ", SimulatedMpu6050.Gravity),
                SimulatedInput(c, "gyroX", 0), SimulatedInput(c, "gyroY", 0), SimulatedInput(c, "gyroZ", 0)),
            Bme280Config => new SimulatedBme280(settings, Clock, SimulatedInput(c, "temperature", 20), SimulatedInput(c, "pressure", 101_325), SimulatedInput(c, "humidity", 50)),
            Ina219Config ina => new SimulatedIna219(settings, Clock, ina.ShuntOhms, SimulatedInput(c, "current", 0), SimulatedInput(c, "busVoltage", 12)),
            _ => throw new InvalidOperationException($"No simulated chip for {c.GetType().Name}."),
        };
        ApplyBusFaults(c, chip.Faults);
        return chip;
    }

    private SpiDevice OpenSpi(Mcp3008Config c)
    {
        var settings = new SpiConnectionSettings(c.SpiBus, c.ChipSelect) { ClockFrequency = c.ClockHz, Mode = SpiMode.Mode0 };
        if (!Config.Board.Simulated)
        {
            return SpiDevice.Create(settings);
        }

        var chip = new SimulatedMcp3008(settings, Clock, c.ReferenceVolts, [.. Enumerable.Range(0, 8).Select(i => SimulatedInput(c, $"ch{i}", 0))]);
        ApplyBusFaults(c, chip.Faults);
        return chip;
    }

    private void ApplyBusFaults(DeviceConfig c, BusFaults faults)
    {
        _busFaults[c.Name] = faults;
        if (c.Simulation?.Bus is not { } bus)
        {
            return;
        }

        faults.FailEveryNthRead = bus.FailEveryNthRead;
        faults.TransactionNanoseconds = (long)(bus.TransactionMicroseconds * 1000);
        if (bus.DisconnectedFromSeconds is { } from)
        {
            faults.DisconnectedFromNanoseconds = (long)(from * 1e9);
            faults.DisconnectedUntilNanoseconds = bus.DisconnectedUntilSeconds is { } until ? (long)(until * 1e9) : long.MaxValue;
        }
    }

    private static Signal SimulatedInput(DeviceConfig c, string input, double fallback) =>
        c.Simulation?.Inputs is { } inputs && inputs.TryGetValue(input, out SignalConfig? s) ? SignalFactory.Create(s) : new ConstantSignal(fallback);

    private static PinMode PinModeOf(PullMode pull) => pull switch
    {
        PullMode.Up => PinMode.InputPullUp,
        PullMode.Down => PinMode.InputPullDown,
        _ => PinMode.Input,
    };

    private static InputMultiplexer AdsInput(string input) => Array.IndexOf(ChipLimits.Ads1115Inputs, input) switch
    {
        0 => InputMultiplexer.AIN0,
        1 => InputMultiplexer.AIN1,
        2 => InputMultiplexer.AIN2,
        3 => InputMultiplexer.AIN3,
        4 => InputMultiplexer.AIN0_AIN1,
        5 => InputMultiplexer.AIN0_AIN3,
        6 => InputMultiplexer.AIN1_AIN3,
        _ => InputMultiplexer.AIN2_AIN3,
    };

    private static MeasuringRange AdsRange(double volts) => Array.IndexOf(ChipLimits.Ads1115FullScale, volts) switch
    {
        0 => MeasuringRange.FS6144,
        1 => MeasuringRange.FS4096,
        2 => MeasuringRange.FS2048,
        3 => MeasuringRange.FS1024,
        4 => MeasuringRange.FS0512,
        _ => MeasuringRange.FS0256,
    };

    private static DataRate AdsRate(int sps) => (DataRate)Array.IndexOf(ChipLimits.Ads1115DataRates, sps);
}
