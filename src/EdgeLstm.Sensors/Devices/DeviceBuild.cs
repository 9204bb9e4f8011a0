using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using System.Device.Spi;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// What a device needs to be built on the board: the real buses and GPIO, or on a simulated board the
/// register-level simulated chips behind the same bindings, with their signals and bus faults from the config.
/// Owns what it opens (the GPIO controller) until the board is disposed.
/// </summary>
internal sealed class DeviceBuild : IDisposable
{
    private readonly BoardConfig _config;
    private readonly IReadOnlyDictionary<ReplayConfig, CsvRecording> _recordings;
    private readonly Dictionary<string, BusFaults> _busFaults = new(StringComparer.Ordinal);
    private GpioController? _gpio;

    internal DeviceBuild(BoardConfig config, string baseDirectory, IReadOnlyDictionary<ReplayConfig, CsvRecording> recordings, MonotonicClock clock)
    {
        _config = config;
        _recordings = recordings;
        BaseDirectory = baseDirectory;
        Clock = clock;
        if (config.Board.Simulated)
        {
            SimulatedGpio = new SimulatedGpioDriver(clock, config.Board.Hardware == BoardHardware.Generic ? 64 : BoardConfig.RaspberryPiMaxGpio + 1);
        }
    }

    /// <summary>Gets the board clock.</summary>
    public MonotonicClock Clock { get; }

    /// <summary>Gets the folder of the board file.</summary>
    public string BaseDirectory { get; }

    /// <summary>Gets the simulated GPIO driver on a simulated board, null on real hardware.</summary>
    public SimulatedGpioDriver? SimulatedGpio { get; }

    /// <summary>Gets the bus-fault controls of each simulated bus device, by device name.</summary>
    public IReadOnlyDictionary<string, BusFaults> BusFaults => _busFaults;

    // The libgpiod (v1 API, libgpiod.so.2 as on Raspberry Pi OS Bookworm) driver is named explicitly: the default
    // controller also links the libgpiod v2 event reader, which carries a trim warning (IL2091) that would fail an
    // AOT publish with warnings as errors.

    /// <summary>Gets the board's GPIO controller (opened on first use).</summary>
    public GpioController Gpio => _gpio ??= SimulatedGpio is null
        ? new GpioController(new LibGpiodDriver(_config.Board.GpioChip))
        : new GpioController(SimulatedGpio);

    /// <summary>Opens the device's I2C bus: the real one, or the simulated chip the config asks for.</summary>
    /// <param name="device">The I2C device.</param>
    /// <returns>The bus device; the caller's driver owns it.</returns>
    public I2cDevice OpenI2c(I2cDeviceConfig device)
    {
        var settings = new I2cConnectionSettings(device.Bus, device.Address.Value);
        if (!_config.Board.Simulated)
        {
            return I2cDevice.Create(settings);
        }

        SimulatedI2cDevice chip = device.CreateSimulatedChip(settings, this);
        ApplyBusFaults(device, chip.Faults);
        return chip;
    }

    /// <summary>Opens an SPI device: the real one, or the simulated chip.</summary>
    /// <param name="device">The SPI device's config (for its simulated bus faults).</param>
    /// <param name="settings">Bus, chip select, clock and mode.</param>
    /// <param name="simulated">Creates the simulated chip and returns its bus-fault controls.</param>
    /// <returns>The SPI device; the caller's driver owns it.</returns>
    public SpiDevice OpenSpi(DeviceConfig device, SpiConnectionSettings settings, Func<(SpiDevice Chip, BusFaults Faults)> simulated)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        if (!_config.Board.Simulated)
        {
            return SpiDevice.Create(settings);
        }

        (SpiDevice chip, BusFaults faults) = simulated();
        ApplyBusFaults(device, faults);
        return chip;
    }

    /// <summary>The signal on a simulated input, or a constant <paramref name="fallback"/> when the config gives none.</summary>
    /// <param name="device">The device.</param>
    /// <param name="input">The input name, one of <see cref="DeviceConfig.SimulatedInputs"/>.</param>
    /// <param name="fallback">The value of an input the config leaves out.</param>
    /// <returns>The signal.</returns>
    public static Signal Input(DeviceConfig device, string input, double fallback) =>
        device.Simulation?.Inputs is { } inputs && inputs.TryGetValue(input, out SignalConfig? s) ? SignalFactory.Create(s) : new ConstantSignal(fallback);

    /// <summary>The recording of a replay device: the one read while validating, or read now.</summary>
    /// <param name="replay">The replay device.</param>
    /// <returns>The recording.</returns>
    public CsvRecording Recording(ReplayConfig replay) =>
        _recordings.TryGetValue(replay, out CsvRecording? r) ? r : CsvRecording.Load(Path.Combine(BaseDirectory, replay.File), replay.TimeColumn);

    /// <summary>The pin mode of a pull setting.</summary>
    /// <param name="pull">The pull resistor.</param>
    /// <returns>The GPIO input mode.</returns>
    public static PinMode InputMode(PullMode pull) => pull switch
    {
        PullMode.Up => PinMode.InputPullUp,
        PullMode.Down => PinMode.InputPullDown,
        _ => PinMode.Input,
    };

    /// <inheritdoc />
    public void Dispose() => _gpio?.Dispose();

    private void ApplyBusFaults(DeviceConfig device, BusFaults faults)
    {
        _busFaults[device.Name] = faults;
        if (device.Simulation?.Bus is not { } bus)
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

        if (bus.BlockedFromSeconds is { } blockedFrom)
        {
            faults.BlockedFromNanoseconds = (long)(blockedFrom * 1e9);
            faults.BlockedUntilNanoseconds = bus.BlockedUntilSeconds is { } until ? (long)(until * 1e9) : long.MaxValue;
        }
    }
}
