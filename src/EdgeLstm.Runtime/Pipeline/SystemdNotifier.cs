using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>
/// Tells systemd how the board is doing, as sd_notify(3) does: <c>READY=1</c> once the board samples, <c>WATCHDOG=1</c>
/// from the sampling loop at least every half of <c>WATCHDOG_USEC</c> (sd_watchdog_enabled(3)), <c>STOPPING=1</c> at
/// shutdown. Petting is done by the loop itself, never by a timer: a wedged loop stops it, and systemd restarts the
/// process. The datagram socket is connected once and non-blocking; a pet is one <c>send</c> of a constant and
/// allocates nothing, and a failed send is counted, never thrown.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly long _petEveryTicks; // Stopwatch ticks; 0 without a watchdog
    private long _lastPetTicks;
    private bool _ready;

    private SystemdNotifier(Socket socket, TimeSpan? watchdog)
    {
        _socket = socket;
        Watchdog = watchdog;
        // A quarter of the timeout: at least twice within the half sd_watchdog_enabled(3) asks for, whatever the phase.
        _petEveryTicks = watchdog is { } w ? (long)(w.TotalSeconds / 4 * Stopwatch.Frequency) : 0;
    }

    /// <summary>Gets the watchdog timeout systemd enforces (<c>WATCHDOG_USEC</c>), or null when there is none.</summary>
    public TimeSpan? Watchdog { get; }

    /// <summary>Gets the longest time between two pets: a quarter of <see cref="Watchdog"/>.</summary>
    public TimeSpan? PetInterval => Watchdog / 4;

    /// <summary>Gets the number of messages sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Gets the number of sends that failed (systemd's queue full, the socket gone).</summary>
    public long Failed { get; private set; }

    /// <summary>The notifier the process environment asks for, or null when not started by systemd with <c>Type=notify</c>.</summary>
    /// <param name="log">Where a notify socket that cannot be used is reported.</param>
    /// <returns>The notifier, or null.</returns>
    public static SystemdNotifier? FromEnvironment(TextWriter log) => Create(Environment.GetEnvironmentVariable, Environment.ProcessId, log);

    /// <summary>The notifier for the given environment (tests give their own).</summary>
    /// <param name="environment">Looks up <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>.</param>
    /// <param name="processId">This process's id, compared with <c>WATCHDOG_PID</c>.</param>
    /// <param name="log">Where problems are reported.</param>
    /// <returns>The notifier, or null when there is no usable notify socket.</returns>
    public static SystemdNotifier? Create(Func<string, string?> environment, int processId, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        string? address = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        if (address[0] is not ('/' or '@'))
        {
            log.WriteLine($"edgelstm: warning: NOTIFY_SOCKET '{address}' is not a path or an abstract socket (vsock is not supported); systemd is not notified and the watchdog is not petted");
            return null;
        }

        TimeSpan? watchdog = null;
        if (environment("WATCHDOG_USEC") is { Length: > 0 } usec)
        {
            string? pid = environment("WATCHDOG_PID");
            if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong microseconds) || microseconds == 0 || microseconds > (ulong)TimeSpan.MaxValue.TotalMicroseconds / 2)
            {
                log.WriteLine($"edgelstm: warning: WATCHDOG_USEC '{usec}' is not a positive number of microseconds; the watchdog is not petted");
            }
            else if (pid is null || (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p == processId))
            {
                watchdog = TimeSpan.FromMicroseconds(microseconds);
            }

            // Otherwise the watchdog is another process's (WATCHDOG_PID, sd_watchdog_enabled(3)).
        }

        // An abstract socket's name starts with a NUL byte where the environment has '@'.
        string path = address[0] == '@' ? "\0" + address[1..] : address;
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Blocking = false; // the sampling thread never waits on I/O: a full queue is a failed pet, not a stall
        }
        catch (SocketException e)
        {
            socket.Dispose();
            log.WriteLine($"edgelstm: warning: cannot connect to NOTIFY_SOCKET '{address}' ({e.SocketErrorCode}); systemd is not notified and the watchdog is not petted");
            return null;
        }

        return new SystemdNotifier(socket, watchdog);
    }

    /// <summary>
    /// Called by the sampling loop after each sample: the first call says <c>READY=1</c>, later ones send
    /// <c>WATCHDOG=1</c> once a <see cref="PetInterval"/> has passed (wall clock). Allocates nothing.
    /// </summary>
    public void OnSample()
    {
        long now = Stopwatch.GetTimestamp();
        if (!_ready)
        {
            _ready = true;
            Send("READY=1"u8);
        }
        else if (_petEveryTicks == 0 || now - _lastPetTicks < _petEveryTicks)
        {
            return;
        }

        if (_petEveryTicks > 0)
        {
            Send("WATCHDOG=1"u8);
            _lastPetTicks = now;
        }
    }

    /// <summary>Says <c>STOPPING=1</c>: the loop has ended and the runtime shuts down (systemd stops watching it).</summary>
    public void Stopping() => Send("STOPPING=1"u8);

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private void Send(ReadOnlySpan<byte> message)
    {
        _socket.Send(message, SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            Sent++;
        }
        else
        {
            Failed++;
        }
    }
}
