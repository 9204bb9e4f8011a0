using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors.Simulation;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors;

/// <summary>
/// A board built from a validated config: the devices on real buses (or simulated chips behind the same
/// bindings when <c>board.simulated</c> is true), the <see cref="Sampler"/> over them, and the alarm output.
/// This is what the runtime holds.
/// </summary>
public sealed class SensorBoard : IDisposable
{
    private readonly DeviceBuild _build;
    private readonly List<string> _startupErrors = [];

    private SensorBoard(LoadedBoardConfig loaded, MonotonicClock? clock)
    {
        Config = loaded.Config;
        Clock = clock ?? (Config.Sampler.Clock == ClockKind.Fast ? new ManualClock() : new SystemMonotonicClock());
        _build = new DeviceBuild(Config, loaded.BaseDirectory, loaded.Recordings, Clock);
        var sources = new List<SamplerSource>();
        foreach (DeviceConfig d in Config.Devices)
        {
            var device = new RetryingDevice(d.Name, d.GetChannels().Count, () => d.Create(_build));
            if (device.StartupError is not null)
            {
                _startupErrors.Add($"{d.Name}: {device.StartupError}");
            }

            // On the fast clock a simulated bus blocks only when its simulation says so (bus.blockedFromSeconds): it is
            // read directly otherwise, since the hand-over to a reader thread (two wake-ups) would dominate the simulation.
            bool canBlock = d.ReadCanBlock
                && (!Config.Board.Simulated || Clock is not ManualClock || d.Simulation?.Bus?.BlockedFromSeconds is not null);
            sources.Add(new SamplerSource(device, [.. d.GetChannels().Select(ToSpec)], canBlock));
        }

        SamplerConfig s = Config.Sampler;
        Sampler = new Sampler(sources, new SamplerOptions
        {
            RateHz = s.RateHz,
            HoldLimit = s.HoldLimit,
            MaxBackoffSamples = s.MaxBackoffSamples,
            ReadDeadline = s.ReadDeadlineMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        }, Clock);
        if (Config.Alarm is { } alarm)
        {
            try
            {
                Alarm = new AlarmOutput(_build.Gpio, alarm.Pin, alarm.ActiveHigh, alarm.FailSafe);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An alarm relay that silently does nothing is worse than a board that does not start.
                Sampler.Dispose();
                _build.Dispose();
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
    public SimulatedGpioDriver? SimulatedGpio => _build.SimulatedGpio;

    /// <summary>Gets the bus-fault controls of each simulated bus device, by device name (empty on real hardware).</summary>
    public IReadOnlyDictionary<string, BusFaults> SimulatedBusFaults => _build.BusFaults;

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
        _build.Dispose();
    }

    private static ChannelSpec ToSpec(ChannelConfig c) =>
        new(c.Name, c.Unit ?? "", c.Scale, c.Offset, c.Min ?? double.NegativeInfinity, c.Max ?? double.PositiveInfinity);
}
