using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeLstm.Collector.Tests.Servers;

/// <summary>A broker the MQTT tests publish through, listening on a loopback port.</summary>
internal interface ITestBroker : IDisposable
{
    /// <summary>The loopback port it listens on.</summary>
    int Port { get; }
}

/// <summary>
/// Debian's Mosquitto (<c>/usr/sbin/mosquitto</c>) on a free loopback port, with its own config, persistence and log in
/// a fresh temporary folder. <see cref="Stop"/> and <see cref="Start"/> restart it on the same port and data, so its
/// persistent sessions and queues survive as on a real server. Every process started is killed on dispose, and at
/// the latest when the test process exits.
/// </summary>
internal sealed class MosquittoBroker : ITestBroker
{
    /// <summary>Where Debian installs it.</summary>
    public const string Executable = "/usr/sbin/mosquitto";

    private static readonly HashSet<Process> Running = [];

    private readonly string _folder;
    private Process? _process;

    static MosquittoBroker()
    {
        // A test run that ends without disposing (a crash, a timeout) must not leave a broker behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (Process process in Running) Kill(process);
            }
        };
    }

    /// <summary>Writes the config and starts the broker.</summary>
    public MosquittoBroker()
    {
        _folder = Directory.CreateTempSubdirectory("edgelstm-mosquitto-").FullName;
        Port = FreeLoopbackPort();
        // Mosquitto started as root switches to the user named here (by default 'mosquitto', which could not write
        // this folder); naming the current user keeps it as whoever runs the tests. Ignored when not root.
        File.WriteAllText(ConfigPath, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {_folder}/
            max_queued_messages 100000
            max_inflight_messages 100
            log_dest file {LogPath}
            user {Environment.UserName}

            """);
        Start();
    }

    /// <inheritdoc />
    public int Port { get; }

    private string ConfigPath => Path.Combine(_folder, "mosquitto.conf");

    private string LogPath => Path.Combine(_folder, "mosquitto.log");

    /// <summary>What Mosquitto logged so far (for failure messages).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Starts the broker and waits until its port accepts connections.</summary>
    public void Start()
    {
        if (_process is not null) throw new InvalidOperationException("already running");
        var start = new ProcessStartInfo(Executable, ["-c", ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running) Running.Add(process);
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Accepts(Port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                Stop();
                throw new InvalidOperationException($"mosquitto did not listen on 127.0.0.1:{Port}: {Log}");
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Stops the broker the way a service manager does (SIGTERM: it saves its persistence file), killing it if it lingers.</summary>
    public void Stop()
    {
        Process? process = _process;
        if (process is null) return;
        _process = null;
        if (!process.HasExited)
        {
            using (Process? term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) term?.WaitForExit(5000);
            if (!process.WaitForExit(10_000)) Kill(process);
        }
        lock (Running) Running.Remove(process);
        process.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static bool Accepts(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}

/// <summary>A fact that needs Mosquitto: skipped, saying so, where <c>/usr/sbin/mosquitto</c> is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (!File.Exists(MosquittoBroker.Executable)) Skip = $"needs Mosquitto ({MosquittoBroker.Executable}; Debian package 'mosquitto', which .ci/run installs)";
    }
}
