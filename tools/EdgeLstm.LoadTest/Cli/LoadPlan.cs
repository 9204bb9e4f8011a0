namespace EdgeLstm.LoadTest.Cli;

/// <summary>One load run's settings, checked: how many boards, how fast, for how long, against which broker.</summary>
/// <param name="BrokerHost">The broker's host (loopback only).</param>
/// <param name="BrokerPort">The broker's port.</param>
/// <param name="Boards">How many simulated boards, each its own MQTT client.</param>
/// <param name="RateHz">Predictions per second per board.</param>
/// <param name="Duration">How long the boards publish once all are connected.</param>
/// <param name="DevicePrefix">Device ids are this prefix and the board's number (<c>load-0007</c>).</param>
/// <param name="ConnectRate">New connections per second while the fleet comes up.</param>
/// <param name="DrainTimeout">How long to wait, after publishing stops, for the Acks of what was sent.</param>
internal sealed record LoadPlan(string BrokerHost, int BrokerPort, int Boards, double RateHz, TimeSpan Duration, string DevicePrefix, double ConnectRate, TimeSpan DrainTimeout)
{
    /// <summary>The most boards one run simulates (one process, one loopback).</summary>
    public const int MaxBoards = 100_000;

    /// <summary>The highest prediction rate per board.</summary>
    public const double MaxRateHz = 1000;

    /// <summary>The longest publishing phase, in seconds.</summary>
    public const int MaxDurationSeconds = 3600;

    /// <summary>The longest drain, in seconds.</summary>
    public const int MaxDrainSeconds = 600;

    /// <summary>How long bringing the fleet up may take: its connections at the connect rate, plus slack for slow CONNACKs.</summary>
    public TimeSpan ConnectBudget => TimeSpan.FromSeconds(Boards / ConnectRate + 30);

    /// <summary>The hard bound on the whole run: connect, publish, drain, disconnect; past it the run stops with what it has.</summary>
    public TimeSpan HardLimit => ConnectBudget + Duration + DrainTimeout + TimeSpan.FromSeconds(30);

    /// <summary>The device id of board <paramref name="index"/>.</summary>
    public string DeviceId(int index) => $"{DevicePrefix}{index:D4}";

    /// <summary>
    /// Checks the raw option values; returns the plan, or null with <paramref name="problem"/> saying what is wrong
    /// in one line (the caller exits 2).
    /// </summary>
    public static LoadPlan? TryCreate(string broker, int boards, double rateHz, int durationSeconds, string devicePrefix, double connectRate, int drainSeconds, out string problem)
    {
        problem = "";
        if (!TryParseBroker(broker, out string host, out int port, out problem)) return null;
        if (boards is < 1 or > MaxBoards) return Fail($"--boards must be 1…{MaxBoards}; got {boards}.", out problem);
        if (!double.IsFinite(rateHz) || rateHz <= 0 || rateHz > MaxRateHz) return Fail($"--rate-hz must be above 0 and at most {MaxRateHz}; got {rateHz}.", out problem);
        if (durationSeconds is < 1 or > MaxDurationSeconds) return Fail($"--duration must be 1…{MaxDurationSeconds} seconds; got {durationSeconds}.", out problem);
        if (drainSeconds is < 1 or > MaxDrainSeconds) return Fail($"--drain-timeout must be 1…{MaxDrainSeconds} seconds; got {drainSeconds}.", out problem);
        if (!double.IsFinite(connectRate) || connectRate <= 0 || connectRate > 10_000) return Fail($"--connect-rate must be above 0 and at most 10000 connections/s; got {connectRate}.", out problem);
        string? idProblem = Protocol.MqttTopics.DeviceIdProblem(devicePrefix + "0000");
        if (devicePrefix.Length == 0 || idProblem is not null) return Fail($"--device-prefix '{devicePrefix}' does not make a device id: {idProblem ?? "it is empty"}.", out problem);
        return new LoadPlan(host, port, boards, rateHz, TimeSpan.FromSeconds(durationSeconds), devicePrefix, connectRate, TimeSpan.FromSeconds(drainSeconds));
    }

    /// <summary>Reads <c>mqtt://host[:port]</c>; the host must be loopback, since a load run is never aimed at a shared broker.</summary>
    private static bool TryParseBroker(string text, out string host, out int port, out string problem)
    {
        host = "";
        port = 0;
        problem = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != "mqtt" || uri.AbsolutePath is not ("" or "/"))
        {
            problem = $"--broker must be mqtt://127.0.0.1:PORT; got '{text}'.";
            return false;
        }
        if (!uri.IsLoopback)
        {
            problem = $"--broker must be on loopback (127.0.0.1 or localhost): a load run floods its broker; got '{uri.Host}'.";
            return false;
        }
        host = uri.Host;
        port = uri.IsDefaultPort || uri.Port < 0 ? 1883 : uri.Port;
        return true;
    }

    private static LoadPlan? Fail(string message, out string problem)
    {
        problem = message;
        return null;
    }
}
