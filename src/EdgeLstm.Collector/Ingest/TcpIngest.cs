using System.Net;
using System.Net.Sockets;
using EdgeLstm.Collector.Storage;

namespace EdgeLstm.Collector.Ingest;

/// <summary>
/// The TCP ingest: accepts boards speaking the stream protocol and serves each on a thread of its own
/// (<see cref="TcpLink"/>). Stopping closes the listener first, then lets every link commit and acknowledge what it
/// had in flight. One of the collector's ingests; an MQTT ingest hands its frames to the same <see cref="IFrameStore"/>.
/// </summary>
internal sealed class TcpIngest : IDisposable
{
    private readonly IFrameStore _store;
    private readonly TcpIngestOptions _options;
    private readonly TextWriter _log;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _links = [];
    private readonly Lock _lock = new();
    private Thread? _acceptor;

    /// <summary>Binds the listener (not yet accepting: see <see cref="Start"/>).</summary>
    public TcpIngest(IFrameStore store, TcpIngestOptions options, TextWriter log)
    {
        _store = store;
        _options = options;
        _log = log;
        _listener = new TcpListener(options.Endpoint);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
    }

    /// <summary>What the ingest has done.</summary>
    public IngestCounters Counters { get; } = new();

    /// <summary>The bound address (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening and accepting.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "collector tcp accept" };
        _acceptor.Start();
    }

    /// <summary>Stops accepting, then waits (up to <paramref name="grace"/>) for every link to commit what it had and close.</summary>
    public void Stop(TimeSpan grace)
    {
        _stop.Cancel();
        _listener.Stop();
        _acceptor?.Join(grace);
        Thread[] links;
        lock (_lock) links = [.. _links];
        var deadline = DateTime.UtcNow + grace;
        foreach (Thread link in links)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            link.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private void Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // the listener was stopped
            }
            socket.NoDelay = true;
            Counters.AddConnection();
            var thread = new Thread(() => Serve(socket)) { IsBackground = true, Name = "collector tcp link" };
            lock (_lock) _links.Add(thread);
            thread.Start();
        }
    }

    private void Serve(Socket socket)
    {
        try
        {
            string peer = socket.RemoteEndPoint?.ToString() ?? "?";
            // The handshake runs here, on the link's thread: a slow or silent board holds up no other.
            Stream? stream = _options.Tls is { } tls ? tls.Authenticate(socket, peer, Counters, _log, _stop.Token) : new NetworkStream(socket, ownsSocket: true);
            if (stream is null) return;
            new TcpLink(stream, peer, _store, _options, Counters, _log).Run(_stop.Token);
        }
        finally
        {
            lock (_lock) _links.Remove(Thread.CurrentThread);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
