namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Replays columns of a <see cref="CsvRecording"/> as channels. With a <see cref="Timing.SystemMonotonicClock"/>
/// it runs in real time (or <c>speed</c> times faster); with a <see cref="Timing.ManualClock"/> it runs as fast
/// as the consumer takes samples. At the end it either loops or reports <see cref="IsExhausted"/>.
/// </summary>
public sealed class CsvReplayDevice : SensorDevice
{
    private readonly CsvRecording _recording;
    private readonly int[] _columns;
    private readonly ReplayTiming _timing;
    private readonly double _speed;
    private readonly bool _loop;
    private readonly double _gapSeconds;
    private readonly double _durationSeconds;
    private long _originNanoseconds = long.MinValue;
    private double _loopOffsetSeconds;
    private int _row = -1;
    private bool _exhausted;

    /// <summary>Creates the replay.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="recording">The loaded recording.</param>
    /// <param name="columns">Value-column index per channel.</param>
    /// <param name="timing">How rows are chosen.</param>
    /// <param name="speed">Playback speed for <see cref="ReplayTiming.Recorded"/> (1 = real time).</param>
    /// <param name="loop">Start over at the end instead of stopping.</param>
    public CsvReplayDevice(string name, CsvRecording recording, IReadOnlyList<int> columns, ReplayTiming timing, double speed = 1, bool loop = false)
        : base(name, columns?.Count ?? 0)
    {
        _recording = recording ?? throw new ArgumentNullException(nameof(recording));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _columns = [.. columns!];
        foreach (int c in _columns)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, recording.ColumnNames.Count);
        }

        if (timing == ReplayTiming.Recorded && recording.NonIncreasingTimes() is [string first, ..])
        {
            // Rows sharing a time give a zero median interval: every read would fall in a "gap" and the channels go bad forever.
            throw new ArgumentException(first, nameof(recording));
        }

        _timing = timing;
        _speed = speed;
        _loop = loop;
        double interval = recording.MedianIntervalSeconds;
        // More than 1.5 nominal intervals without a row is a gap, not jitter.
        _gapSeconds = 1.5 * interval;
        _durationSeconds = recording.TimesSeconds[^1] + interval;
    }

    /// <inheritdoc />
    public override bool IsExhausted => _exhausted;

    /// <summary>Gets the index of the row returned by the last read (-1 before the first, or inside a gap the row before it).</summary>
    public int CurrentRow => _row;

    /// <inheritdoc />
    public override void Read(long timestampNanoseconds, Span<float> values)
    {
        if (_exhausted)
        {
            values.Fill(float.NaN);
            return;
        }

        bool fresh = _timing == ReplayTiming.Sequential ? NextRow() : SeekRow(timestampNanoseconds);
        if (_exhausted)
        {
            values.Fill(float.NaN);
            return;
        }

        for (int i = 0; i < _columns.Length; i++)
        {
            values[i] = fresh ? _recording[_row, _columns[i]] : float.NaN;
        }
    }

    private bool NextRow()
    {
        _row++;
        if (_row >= _recording.RowCount)
        {
            if (!_loop)
            {
                _exhausted = true;
                return false;
            }

            _row = 0;
        }

        return true;
    }

    private bool SeekRow(long timestampNanoseconds)
    {
        if (_originNanoseconds == long.MinValue)
        {
            _originNanoseconds = timestampNanoseconds;
        }

        double t = (timestampNanoseconds - _originNanoseconds) * 1e-9 * _speed - _loopOffsetSeconds;
        if (t >= _durationSeconds)
        {
            if (!_loop)
            {
                _exhausted = true;
                return false;
            }

            _loopOffsetSeconds += _durationSeconds * Math.Floor(t / _durationSeconds);
            t -= _durationSeconds * Math.Floor(t / _durationSeconds);
            _row = -1;
        }

        IReadOnlyList<double> times = _recording.TimesSeconds;
        while (_row + 1 < times.Count && times[_row + 1] <= t)
        {
            _row++;
        }

        return _row >= 0 && t - times[_row] < _gapSeconds;
    }
}
