using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>
/// <c>edgelstm-collector run</c> in process on a temporary SQLite store, with TCP, its embedded MQTT broker and the
/// monitor each on a free loopback port. Frames can be written to the same store from the test (a second writer, as
/// another collector on one database would be). Disposing stops it as SIGTERM would.
/// </summary>
internal sealed partial class MonitorRig : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDatabase _database = new();
    private readonly StringWriter _output = new();
    private readonly TextWriter _syncOutput;
    private readonly StringWriter _error = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _run;
    private int _exit = -1;

    public MonitorRig() => _syncOutput = TextWriter.Synchronized(_output);

    public string StorePath => _database.Path;

    public string Folder => _database.Folder;

    /// <summary>The monitor's URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The embedded broker's port (boards publish there).</summary>
    public int BrokerPort { get; private set; }

    /// <summary>Writes frames into the store as an ingest would (the store may be shared with the running collector).</summary>
    public void Commit(string device, params EdgeLstm.Protocol.IWireFrame[] frames)
    {
        using var store = new SqliteFrameStore(StorePath);
        store.Commit(Frames.Received(device, frames));
    }

    /// <summary>Records a device's status as an MQTT birth or will would.</summary>
    public void Status(string device, bool online)
    {
        using var store = new SqliteFrameStore(StorePath);
        store.RecordStatus(device, online, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>Starts <c>run</c> with <paramref name="extra"/> options and waits (bounded) for its monitor line.</summary>
    public MonitorRig Start(params string[] extra)
    {
        string[] args = ["run", "--tcp-port", "0", "--mqtt-port", "0", "--http", "127.0.0.1:0", "--store", StorePath, .. extra];
        _run = new Thread(() => _exit = CollectorCli.Invoke(args, _syncOutput, TextWriter.Synchronized(_error), _stop.Token)) { IsBackground = true, Name = "collector run" };
        _run.Start();
        Assert.True(SpinWait.SpinUntil(() => MonitorLine().IsMatch(Output) || !_run.IsAlive, Patience), $"no monitor line: {Output} {_error}");
        Assert.True(_run.IsAlive, $"run ended: {Output} {_error}");
        Url = new Uri(MonitorLine().Match(Output).Groups[1].Value);
        BrokerPort = int.Parse(BrokerLine().Match(Output).Groups[1].Value, CultureInfo.InvariantCulture);
        return this;
    }

    /// <summary>What run printed.</summary>
    public string Output
    {
        get
        {
            lock (_syncOutput) return _output.ToString(); // the synchronized writer locks itself while writing
        }
    }

    /// <summary>An HTTP client of the monitor that does not follow redirects (tests look at them) and keeps cookies.</summary>
    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = Url, Timeout = Patience };

    /// <summary>The same over HTTPS, trusting only <paramref name="serverCertificate"/> (a PEM file): what a browser given the CA would accept.</summary>
    public HttpClient Client(string serverCertificate)
    {
        using var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(serverCertificate));
        string thumbprint = expected.Thumbprint;
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = Patience };
    }

    [GeneratedRegex(@"edgelstm-collector: monitor (https?://127\.0\.0\.1:\d+/)\r?\n")]
    private static partial Regex MonitorLine();

    [GeneratedRegex(@"mqtt broker mqtt://127\.0\.0\.1:(\d+) ")]
    private static partial Regex BrokerLine();

    public void Dispose()
    {
        _stop.Cancel();
        if (_run is not null)
        {
            Assert.True(_run.Join(Patience), "run did not stop");
            Assert.True(_exit == ExitCodes.Success, $"exit {_exit}: {Output} {_error}");
        }
        _stop.Dispose();
        _database.Dispose();
    }
}
