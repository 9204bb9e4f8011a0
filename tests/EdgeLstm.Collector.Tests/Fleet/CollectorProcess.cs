using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// <c>edgelstm-collector run</c> as a real child process (<c>dotnet edgelstm-collector.dll</c>, the build next to the
/// tests) on an existing broker, so a test can SIGKILL it mid-batch. Every process started is killed on dispose, and
/// at the latest when the test process exits.
/// </summary>
internal sealed class CollectorProcess : IDisposable
{
    private static readonly HashSet<Process> Running = [];
    private static readonly string Dll = Path.Combine(Path.GetDirectoryName(typeof(EdgeLstm.Collector.Cli.CollectorCli).Assembly.Location)!, "edgelstm-collector.dll");

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    static CollectorProcess()
    {
        // A run that ends without disposing (a crash, a timeout) must not leave a collector behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (Process process in Running) KillNow(process);
            }
        };
    }

    private CollectorProcess(string broker, string store, string clientId, string[] more)
    {
        ClientId = clientId;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[Dll, "run", "--broker", broker, "--tcp-port", "0", "--http", "127.0.0.1:0", "--store", store, "--mqtt-client-id", clientId, .. more])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        lock (Running) Running.Add(_process);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts a collector and waits (bounded) until it is subscribed at the broker: what boards publish from then on reaches its session.</summary>
    public static CollectorProcess Start(int brokerPort, string store, string clientId) => Start($"mqtt://127.0.0.1:{brokerPort}", store, clientId);

    /// <summary>Starts a collector on <paramref name="broker"/> (a <c>--broker</c> URL) with <paramref name="more"/> options and waits until it is subscribed.</summary>
    public static CollectorProcess Start(string broker, string store, string clientId, params string[] more)
    {
        var collector = new CollectorProcess(broker, store, clientId, more);
        string subscribed = $"client id {clientId}{Environment.NewLine}";
        if (!SpinWait.SpinUntil(() => collector.Output.Contains(subscribed, StringComparison.Ordinal) || collector._process.HasExited, TimeSpan.FromSeconds(60))
            || collector._process.HasExited)
        {
            string output = collector.Output;
            collector.Dispose();
            Assert.Fail($"collector {clientId} did not subscribe: {output}");
        }
        return collector;
    }

    public string ClientId { get; }

    /// <summary>What it printed, stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>SIGKILL: no commit finished, nothing acknowledged, no goodbye to the broker.</summary>
    public void Kill()
    {
        KillNow(_process);
        Forget();
    }

    /// <summary>SIGTERM, as a service manager stops it: it commits and acknowledges what it has; checks the exit code.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            using (Process? term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) term?.WaitForExit(5000);
            if (!_process.WaitForExit(30_000)) KillNow(_process);
        }
        _process.WaitForExit(); // the output readers are drained
        Forget();
        Assert.True(_process.ExitCode == 0, $"collector {ClientId} exit {_process.ExitCode}: {Output}");
    }

    public void Dispose()
    {
        KillNow(_process);
        Forget();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private void Forget()
    {
        lock (Running) Running.Remove(_process);
    }

    private static void KillNow(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
