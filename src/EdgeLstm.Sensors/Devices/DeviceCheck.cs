using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// One device's view of the board validation: its JSON path, the board's sample rate and folder, and the claims all
/// devices share (GPIO pins). Problems are collected with the board's, never thrown.
/// </summary>
internal sealed class DeviceCheck
{
    private readonly BoardConfigValidator _board;

    internal DeviceCheck(BoardConfigValidator board, string path, double rateHz, string baseDirectory)
    {
        _board = board;
        Path = path;
        RateHz = rateHz;
        BaseDirectory = baseDirectory;
    }

    /// <summary>Gets the device's JSON path, e.g. <c>$.devices[2]</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the board's sample rate in Hz.</summary>
    public double RateHz { get; }

    /// <summary>Gets the folder of the board file (relative paths start there).</summary>
    public string BaseDirectory { get; }

    /// <summary>Adds a problem at <paramref name="key"/> below the device (<c>dataRate</c>, <c>channels[0].input</c>), or at an absolute path (<c>$.sampler.rateHz</c>).</summary>
    /// <param name="key">The key below the device, or a path starting with <c>$</c>.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="hint">What to do.</param>
    public void Problem(string key, string message, string hint) => _board.AddProblem(key.StartsWith('$') ? key : $"{Path}.{key}", message, hint);

    /// <summary>Takes a GPIO pin for this device; a pin used twice or missing from the header is a problem.</summary>
    /// <param name="pin">The BCM GPIO number.</param>
    /// <param name="key">The key of the pin below the device.</param>
    /// <param name="user">Who uses it, for the message ("tachometer 'shaft'").</param>
    public void ClaimPin(int pin, string key, string user) => _board.ClaimPin(pin, $"{Path}.{key}", user);

    /// <summary>Keeps a recording read while validating, so the board does not parse it twice.</summary>
    /// <param name="replay">The replay device.</param>
    /// <param name="recording">Its recording.</param>
    public void KeepRecording(ReplayConfig replay, CsvRecording recording) => _board.Recordings[replay] = recording;
}
