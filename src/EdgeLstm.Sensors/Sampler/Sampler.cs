using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Sensors;

/// <summary>
/// Reads every device at a fixed rate on a monotonic clock into one preallocated <see cref="SampleFrame"/>.
/// <para>
/// Bad-read policy (docs/sensors.md): a device read that throws marks all its channels failed for that
/// sample and is retried with exponential backoff (skip 0, 1, 3, 7, … samples, capped at
/// <see cref="SamplerOptions.MaxBackoffSamples"/>). A NaN or out-of-range value fails only its channel. A failed
/// channel holds its last good value for up to <see cref="SamplerOptions.HoldLimit"/> consecutive samples
/// (<see cref="SampleStatus.Held"/>), then turns <see cref="SampleStatus.Bad"/>; either way the frame is degraded.
/// Nothing a sensor does stops the loop; everything is counted in <see cref="Counters"/>.
/// </para>
/// <para>
/// A source whose read can block (<see cref="SamplerSource.ReadCanBlock"/>) is read on its own thread and waited for
/// up to <see cref="SamplerOptions.EffectiveReadDeadline"/>. A read past it is abandoned for that sample (its channels
/// fail, counted as <see cref="ChannelCounters.Timeouts"/>) and the device is skipped until the read returns, so a stuck
/// bus costs the other channels one deadline, not their rate.
/// </para>
/// After construction, sampling allocates nothing (except the exceptions a failing driver throws).
/// </summary>
public sealed class Sampler : IDisposable
{
    private readonly MonotonicClock _clock;
    private readonly SamplerOptions _options;
    private readonly SensorDevice[] _devices;
    private readonly DeviceReader?[] _readers;
    private readonly string[] _timeoutErrors;
    private readonly int[] _firstChannel;
    private readonly int[] _skipRemaining;
    private readonly ChannelSpec[] _channels;
    private readonly float[] _raw;
    private readonly float[] _lastGood;
    private readonly bool[] _hasGood;
    private readonly int[] _failStreak;
    private readonly SampleFrame _frame;
    private readonly long _period;
    private long _nextDeadline;
    private bool _started;

    /// <summary>Creates a sampler over <paramref name="sources"/>; it owns and disposes the devices.</summary>
    /// <param name="sources">Devices and their channel specs, in channel order.</param>
    /// <param name="options">Rate and policy.</param>
    /// <param name="clock">The board clock.</param>
    public Sampler(IReadOnlyList<SamplerSource> sources, SamplerOptions options, MonotonicClock clock)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options;
        _period = options.PeriodNanoseconds;
        _devices = new SensorDevice[sources.Count];
        _readers = new DeviceReader?[sources.Count];
        _timeoutErrors = new string[sources.Count];
        _firstChannel = new int[sources.Count];
        _skipRemaining = new int[sources.Count];
        var channels = new List<ChannelSpec>();
        for (int d = 0; d < sources.Count; d++)
        {
            SamplerSource s = sources[d];
            if (s.Device.ChannelCount != s.Channels.Count)
            {
                throw new ArgumentException($"Device '{s.Device.Name}' produces {s.Device.ChannelCount} values but {s.Channels.Count} channel specs were given.", nameof(sources));
            }

            _devices[d] = s.Device;
            _firstChannel[d] = channels.Count;
            channels.AddRange(s.Channels);
        }

        // Threads last: a bad argument above must not leave reader threads behind.
        TimeSpan deadline = options.EffectiveReadDeadline;
        for (int d = 0; d < sources.Count; d++)
        {
            if (sources[d].ReadCanBlock)
            {
                _readers[d] = new DeviceReader(_devices[d], deadline);
                _timeoutErrors[d] = $"TimeoutException: the read did not finish within its {_readers[d]!.DeadlineMilliseconds} ms deadline; the device is skipped until it returns.";
            }
        }

        _channels = [.. channels];
        _raw = new float[_channels.Length];
        _lastGood = new float[_channels.Length];
        _hasGood = new bool[_channels.Length];
        _failStreak = new int[_channels.Length];
        _frame = new SampleFrame(_channels.Length);
        Counters = new SamplerCounters(_channels, _devices);
    }

    /// <summary>Gets the channel specs in frame order.</summary>
    public IReadOnlyList<ChannelSpec> Channels => _channels;

    /// <summary>Gets the devices in read order.</summary>
    public IReadOnlyList<SensorDevice> Devices => _devices;

    /// <summary>Gets the frame holding the latest sample (overwritten by each sample).</summary>
    public SampleFrame Frame => _frame;

    /// <summary>Gets the counters.</summary>
    public SamplerCounters Counters { get; }

    /// <summary>Gets the sampling period in nanoseconds.</summary>
    public long PeriodNanoseconds => _period;

    /// <summary>Gets a value indicating whether a device is read on its own thread under the read deadline
    /// (<see cref="SamplerSource.ReadCanBlock"/>) rather than directly on the sampling thread.</summary>
    /// <param name="device">The device's index in <see cref="Devices"/>.</param>
    /// <returns>True for a device read under the deadline.</returns>
    public bool IsReadUnderDeadline(int device) => _readers[device] is not null;

    /// <summary>Gets the bytes allocated so far by the reader threads of devices whose reads can block (a diagnostic: in
    /// steady state it stays flat, as the sampling thread's own allocations do).</summary>
    public long ReaderThreadAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (DeviceReader? r in _readers)
            {
                sum += r?.AllocatedBytes ?? 0;
            }

            return sum;
        }
    }

    /// <summary>Gets the clock the sampler runs on.</summary>
    public MonotonicClock Clock => _clock;

    /// <summary>Gets a value indicating whether a source has run out (a replay without looping reached its end).</summary>
    public bool IsExhausted
    {
        get
        {
            foreach (SensorDevice d in _devices)
            {
                if (d.IsExhausted)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Waits for the next period boundary and takes one sample into <see cref="Frame"/>. If the loop fell
    /// behind by a period or more, the passed grid points are skipped and counted as missed, and the sample is
    /// taken at the next grid point: timestamps always sit on the original grid.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>False if cancelled or a source is exhausted; true if <see cref="Frame"/> holds a new sample.</returns>
    public bool WaitAndSample(CancellationToken cancellationToken = default)
    {
        if (IsExhausted)
        {
            return false;
        }

        if (!_started)
        {
            _nextDeadline = _clock.NowNanoseconds;
            _started = true;
        }

        // A whole period or more behind: skip to the next grid point so samples stay evenly spaced.
        long missed = 0;
        long late = _clock.NowNanoseconds - _nextDeadline;
        if (late >= _period)
        {
            missed = (late + _period - 1) / _period;
            _nextDeadline += missed * _period;
            Counters.MissedSamples += missed;
        }

        _clock.WaitUntil(_nextDeadline, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        long start = _clock.NowNanoseconds;
        if (!SampleAt(_nextDeadline, start, missed))
        {
            return false;
        }

        if (_clock.NowNanoseconds - start > _period)
        {
            Counters.Overruns++;
        }

        _nextDeadline += _period;
        return true;
    }

    /// <summary>Samples until cancelled or a source is exhausted, calling <paramref name="onSample"/> after each sample.</summary>
    /// <param name="onSample">Receives the frame; must not keep it past the call.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public void Run(Action<SampleFrame> onSample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onSample);
        while (WaitAndSample(cancellationToken))
        {
            onSample(_frame);
        }
    }

    /// <summary>Takes one sample immediately, outside the schedule.</summary>
    /// <returns>False if a source ran out during this read (the frame is left unchanged).</returns>
    public bool SampleNow()
    {
        long now = _clock.NowNanoseconds;
        return SampleAt(now, now, 0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = 0; i < _devices.Length; i++)
        {
            try
            {
                if (_readers[i] is { } reader)
                {
                    reader.Dispose(); // disposes the device too, unless a read is still blocked in it
                }
                else
                {
                    _devices[i].Dispose();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Drivers talk to the chip on dispose; a device that is gone must not stop the shutdown.
            }
        }
    }

    private bool SampleAt(long scheduled, long started, long missedBefore)
    {
        for (int d = 0; d < _devices.Length; d++)
        {
            // The sample's grid time: replay rows follow the grid, not scheduling jitter.
            if (!ReadDevice(d, scheduled))
            {
                return false; // a replay found nothing after its last row: the end of the input, not a sample of held values
            }
        }

        Span<float> values = _frame.MutableValues;
        Span<SampleStatus> statuses = _frame.MutableStatuses;
        int held = 0, bad = 0;
        for (int c = 0; c < _channels.Length; c++)
        {
            ChannelSpec spec = _channels[c];
            ChannelCounters counters = Counters.Channels[c];
            float raw = _raw[c];
            double v = raw * spec.Scale + spec.Offset;
            // A value the float range cannot hold (a huge scale or offset) is as invalid as one out of range.
            bool valid = !double.IsNaN(raw) && v >= spec.Minimum && v <= spec.Maximum && Math.Abs(v) <= float.MaxValue;
            if (!valid && !float.IsNaN(raw))
            {
                counters.InvalidValues++; // out of range; a NaN from a thrown read is counted as a read error instead
            }

            if (valid)
            {
                _lastGood[c] = (float)v;
                _hasGood[c] = true;
                _failStreak[c] = 0;
                values[c] = (float)v;
                statuses[c] = SampleStatus.Good;
                continue;
            }

            _failStreak[c]++;
            values[c] = _hasGood[c] ? _lastGood[c] : 0f;
            if (_hasGood[c] && _failStreak[c] <= _options.HoldLimit)
            {
                statuses[c] = SampleStatus.Held;
                counters.HeldSamples++;
                held++;
            }
            else
            {
                statuses[c] = SampleStatus.Bad;
                counters.BadSamples++;
                bad++;
            }
        }

        _frame.Sequence = Counters.Samples++;
        _frame.TimestampNanoseconds = scheduled;
        _frame.ReadStartedNanoseconds = started;
        _frame.MissedBefore = missedBefore;
        _frame.HeldCount = held;
        _frame.BadCount = bad;
        if (_frame.IsDegraded)
        {
            Counters.DegradedSamples++;
        }

        return true;
    }

    /// <summary>Reads device <paramref name="d"/> into its slice of the raw values and counts what went wrong.</summary>
    /// <returns>False if the device has reached the end of its input (nothing read, nothing counted).</returns>
    private bool ReadDevice(int d, long timestamp)
    {
        SensorDevice device = _devices[d];
        DeviceCounters counters = Counters.Devices[d];
        Span<float> slice = _raw.AsSpan(_firstChannel[d], device.ChannelCount);
        if (_skipRemaining[d] > 0)
        {
            _skipRemaining[d]--;
            counters.SkippedByBackoff++;
            MarkFailed(d, slice);
            return true;
        }

        DeviceReader? reader = _readers[d];
        if (reader is not null && reader.IsBusy)
        {
            counters.SkippedWhileBusy++; // a read abandoned earlier has not returned: nothing to ask the device yet
            MarkTimedOut(d, slice);
            return true;
        }

        Exception? error = null;
        if (reader is null)
        {
            try
            {
                device.Read(timestamp, slice);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                error = ex;
            }
        }
        else if (!reader.TryRead(timestamp, slice, out error))
        {
            counters.Timeouts++;
            counters.LastError = _timeoutErrors[d];
            Backoff(d, counters);
            MarkTimedOut(d, slice);
            return true;
        }

        if (error is not null)
        {
            // Any driver failure (IOException NACK, TimeoutException, InvalidOperationException on bad data, …).
            counters.Failures++;
            counters.LastError = $"{error.GetType().Name}: {error.Message}";
            Backoff(d, counters);
            MarkFailed(d, slice);
            return true;
        }

        if (device.IsExhausted)
        {
            return false; // the read that finds a replay at its end: no value is missing, the input is over
        }

        if (counters.ConsecutiveFailures > 0)
        {
            counters.Recoveries++;
            counters.ConsecutiveFailures = 0;
        }

        for (int i = 0; i < slice.Length; i++)
        {
            if (float.IsNaN(slice[i]))
            {
                Counters.Channels[_firstChannel[d] + i].InvalidValues++; // the device had no valid reading
            }
        }

        return true;
    }

    private void Backoff(int d, DeviceCounters counters)
    {
        counters.ConsecutiveFailures++;
        int exponent = Math.Min(counters.ConsecutiveFailures - 1, 30);
        _skipRemaining[d] = Math.Min((1 << exponent) - 1, _options.MaxBackoffSamples);
    }

    private void MarkTimedOut(int d, Span<float> slice)
    {
        MarkFailed(d, slice);
        for (int i = 0; i < slice.Length; i++)
        {
            Counters.Channels[_firstChannel[d] + i].Timeouts++;
        }
    }

    private void MarkFailed(int d, Span<float> slice)
    {
        slice.Fill(float.NaN);
        for (int i = 0; i < slice.Length; i++)
        {
            Counters.Channels[_firstChannel[d] + i].ReadErrors++;
        }
    }
}
