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
/// the latest when the test process exits. With <see cref="MosquittoTls"/> it also has two TLS listeners
/// (<c>per_listener_settings</c>): one that asks for a user name and password (<c>password_file</c>, written with
/// <c>mosquitto_passwd</c>), and one that requires a client certificate signed by the test CA, its CN the user name.
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

    /// <summary>Writes the config and starts the broker; with <paramref name="tls"/>, its TLS listeners too.</summary>
    public MosquittoBroker(MosquittoTls? tls = null)
    {
        _folder = Directory.CreateTempSubdirectory("edgelstm-mosquitto-").FullName;
        Port = FreeLoopbackPort();
        string listeners = "";
        if (tls is not null)
        {
            PasswordTlsPort = FreeLoopbackPort();
            CertificateTlsPort = FreeLoopbackPort();
            WritePasswordFile(tls.Username, tls.Password);
            TestCertificates pki = tls.Certificates;
            listeners = $"""
                per_listener_settings true
                listener {PasswordTlsPort} 127.0.0.1
                cafile {pki.CaFile}
                certfile {pki.ServerCert}
                keyfile {pki.ServerKey}
                password_file {PasswordPath}
                allow_anonymous false
                listener {CertificateTlsPort} 127.0.0.1
                cafile {pki.CaFile}
                certfile {pki.ServerCert}
                keyfile {pki.ServerKey}
                require_certificate true
                use_identity_as_username true
                allow_anonymous false

                """;
        }
        // Mosquitto started as root switches to the user named here (by default 'mosquitto', which could not write
        // this folder); naming the current user keeps it as whoever runs the tests. Ignored when not root.
        File.WriteAllText(ConfigPath, $"""
            {listeners}listener {Port} 127.0.0.1
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

    /// <summary>The TLS listener that asks for a user name and password (0 without TLS).</summary>
    public int PasswordTlsPort { get; }

    /// <summary>The TLS listener that requires a client certificate signed by the test CA (0 without TLS).</summary>
    public int CertificateTlsPort { get; }

    private string PasswordPath => Path.Combine(_folder, "passwords");

    private void WritePasswordFile(string username, string password)
    {
        using Process passwd = Process.Start(new ProcessStartInfo("mosquitto_passwd", ["-b", "-c", PasswordPath, username, password]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto_passwd did not start");
        if (!passwd.WaitForExit(10_000) || passwd.ExitCode != 0) throw new InvalidOperationException($"mosquitto_passwd failed: {passwd.StandardError.ReadToEnd()}");
    }

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
        while (!Accepts(Port) || (PasswordTlsPort != 0 && !(Accepts(PasswordTlsPort) && Accepts(CertificateTlsPort))))
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

/// <summary>What a <see cref="MosquittoBroker"/>'s TLS listeners use: the test PKI, and the one user of the password listener.</summary>
internal sealed record MosquittoTls(TestCertificates Certificates, string Username = "board", string Password = "s3cret-pw");

/// <summary>A fact that needs Mosquitto: skipped, saying so, where <c>/usr/sbin/mosquitto</c> is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MosquittoFactAttribute : FactAttribute
{
    public MosquittoFactAttribute()
    {
        if (!File.Exists(MosquittoBroker.Executable)) Skip = $"needs Mosquitto ({MosquittoBroker.Executable}; Debian package 'mosquitto', which .ci/run installs)";
    }
}
