using System.Diagnostics;

namespace EdgeLstm.Sensors;

/// <summary>
/// Reads one device on its own thread so the sampling thread can give up on a read that blocks (a stuck I2C bus,
/// a chip holding SCL low): the sampler hands a request over and waits a bounded time. A read still running at its
/// deadline is abandoned for that sample and leaves the reader <see cref="IsBusy"/> until it returns; its result is
/// then dropped and the next request starts afresh. Everything is allocated at construction: a request costs two
/// wake-ups and no allocation.
/// </summary>
internal sealed class DeviceReader : IDisposable
{
    private readonly SensorDevice _device;
    private readonly float[] _values;
    private readonly object _gate = new(); // an object, not a Lock: Monitor.Wait needs one
    private readonly Thread _thread;
    private long _timestamp;
    private Exception? _error;
    private long _allocatedBytes;
    private long _requested; // generation of the last request; written under _gate
    private long _completed; // generation of the last finished read; written under _gate
    private bool _stopping;

    /// <summary>Starts the reader thread of <paramref name="device"/>.</summary>
    /// <param name="device">The device; the reader owns it from now on.</param>
    /// <param name="deadline">How long the sampler waits for one read.</param>
    public DeviceReader(SensorDevice device, TimeSpan deadline)
    {
        _device = device;
        _values = new float[device.ChannelCount];
        DeadlineMilliseconds = (int)Math.Clamp(Math.Ceiling(deadline.TotalMilliseconds), 1, int.MaxValue);
        // A read blocked for good must not keep the process alive at exit: a background thread.
        _thread = new Thread(Loop) { IsBackground = true, Name = $"read {device.Name}" };
        _thread.Start();
    }

    /// <summary>Gets the deadline of one read, in whole milliseconds (the wait's resolution).</summary>
    public int DeadlineMilliseconds { get; }

    /// <summary>Gets a value indicating whether an abandoned read is still running (the device cannot take a request).</summary>
    public bool IsBusy => Volatile.Read(ref _completed) != Volatile.Read(ref _requested);

    /// <summary>Gets the bytes the reader thread has allocated so far (a diagnostic: flat in steady state).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    /// <summary>Reads the device on its thread and waits for it up to the deadline. Call only when not <see cref="IsBusy"/>.</summary>
    /// <param name="timestampNanoseconds">The sample's grid time.</param>
    /// <param name="values">Receives the values when the read finished in time.</param>
    /// <param name="error">The exception the read threw, if it finished in time and failed.</param>
    /// <returns>False if the deadline passed first (the read goes on and the reader stays busy until it returns).</returns>
    public bool TryRead(long timestampNanoseconds, Span<float> values, out Exception? error)
    {
        error = null;
        long started = Stopwatch.GetTimestamp();
        // Monitor.Wait/Pulse on one lock rather than a semaphore and an event: the generation numbers under the lock
        // tell a late end of an abandoned read from the end of this one, and nothing is allocated lazily on first block.
        lock (_gate)
        {
            long generation = ++_requested;
            _timestamp = timestampNanoseconds;
            Monitor.PulseAll(_gate);
            while (_completed != generation)
            {
                int remaining = DeadlineMilliseconds - (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (remaining <= 0 || !Monitor.Wait(_gate, remaining))
                {
                    if (_completed != generation)
                    {
                        return false;
                    }
                }
            }

            error = _error;
            _values.AsSpan().CopyTo(values);
            return true;
        }
    }

    /// <summary>Stops the thread and disposes the device, unless a read is still blocked in it (then both are left to the process exit).</summary>
    /// <returns>False if a read was still blocked.</returns>
    public bool Stop()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return true;
            }

            if (_completed != _requested)
            {
                return false; // disposing a driver under a read that is still running could crash the process instead of ending it
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
        _device.Dispose();
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Loop()
    {
        long generation = 0;
        while (true)
        {
            lock (_gate)
            {
                while (_requested == generation && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                generation = _requested;
            }

            try
            {
                _device.Read(_timestamp, _values);
                _error = null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _error = ex; // reported by the sampler thread, under its bad-read policy
            }

            Interlocked.Exchange(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            lock (_gate)
            {
                _completed = generation;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
