using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EdgeLstm.Runtime.Pipeline;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>The test's systemd: a bound datagram socket and a thread that collects what arrives.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly Thread _reader;

    public NotifySocket()
    {
        // sockaddr_un holds 108 bytes: a short name in /tmp.
        Path = System.IO.Path.Combine("/tmp", $"edgelstm-sd-{Guid.NewGuid():N}"[..28] + ".sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _reader = new Thread(Read) { IsBackground = true };
        _reader.Start();
    }

    public string Path { get; }

    public List<string> Messages => [.. _messages];

    public SystemdNotifier? Notifier(string? watchdogUsec, string? watchdogPid = null, int processId = 1) =>
        SystemdNotifier.Create(name => name switch
        {
            "NOTIFY_SOCKET" => Path,
            "WATCHDOG_USEC" => watchdogUsec,
            "WATCHDOG_PID" => watchdogPid,
            _ => null,
        }, processId, TextWriter.Null);

    public bool WaitFor(Func<List<string>, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Messages))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }

    private void Read()
    {
        byte[] buffer = new byte[256];
        try
        {
            while (true)
            {
                int n = _socket.Receive(buffer);
                _messages.Enqueue(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // disposed: the test is over
        }
    }
}
