using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector run</c> (also with no command): listen for boards and store their frames until SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>The default TCP port.</summary>
    public const int DefaultTcpPort = 7000;

    /// <summary>The command; <paramref name="stop"/> ends it as a signal would (tests, hosting).</summary>
    public static Command Create(CancellationToken stop)
    {
        Option<string> store = CollectorCli.StoreOption();
        var port = new Option<int>("--tcp-port") { Description = $"The TCP port boards connect to (0: any free port). Default: {DefaultTcpPort}.", DefaultValueFactory = _ => DefaultTcpPort };
        var bind = new Option<string>("--tcp-bind") { Description = "The address to listen on. Default: 127.0.0.1 (this machine only); 0.0.0.0 for every interface.", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("run", "Listen for boards over TCP and store what they send until SIGINT or SIGTERM (the default command).") { store, port, bind };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            TextWriter error = result.InvocationConfiguration.Error;
            int tcpPort = result.GetValue(port);
            if (tcpPort is < 0 or > 65535)
            {
                error.WriteLine($"edgelstm-collector: --tcp-port must be 0…65535; got {tcpPort}.");
                return ExitCodes.BadInput;
            }
            if (!IPAddress.TryParse(result.GetValue(bind), out IPAddress? address))
            {
                error.WriteLine($"edgelstm-collector: --tcp-bind must be an IP address; got '{result.GetValue(bind)}'.");
                return ExitCodes.BadInput;
            }
            return Run(result.GetValue(store)!, new IPEndPoint(address, tcpPort), output, error, stop);
        });
        return command;
    }

    private static int Run(string storePath, IPEndPoint endpoint, TextWriter output, TextWriter error, CancellationToken external)
    {
        using IFrameStore? store = StoreOpener.Open(storePath, mustExist: false, error);
        if (store is null) return ExitCodes.BadInput;
        using var signalled = CancellationTokenSource.CreateLinkedTokenSource(external);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var ingest = new TcpIngest(store, new TcpIngestOptions(endpoint), error);
        try
        {
            ingest.Start();
        }
        catch (SocketException e)
        {
            error.WriteLine($"edgelstm-collector: cannot listen on {endpoint}: {e.SocketErrorCode}");
            ingest.Dispose();
            return ExitCodes.BadInput;
        }
        output.WriteLine($"edgelstm-collector: listening on tcp {ingest.Endpoint}, storing in {store.Name}");
        output.Flush();
        signalled.Token.WaitHandle.WaitOne();
        // Stop accepting, let each link commit and acknowledge what it has; nothing uncommitted is acknowledged.
        ingest.Dispose();
        IngestCounters c = ingest.Counters;
        output.WriteLine($"edgelstm-collector: stopped: {c.Connections} connections, {c.Stored} frames stored, {c.Duplicates} duplicates, {c.DecodeErrors} decode errors, {c.Acks} acks");
        return ExitCodes.Success;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // shut down ourselves, gracefully
            signalled.Cancel();
        }
    }
}
