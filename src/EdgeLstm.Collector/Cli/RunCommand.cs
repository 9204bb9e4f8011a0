using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EdgeLstm.Collector.Ingest;
using EdgeLstm.Collector.Ingest.Mqtt;
using EdgeLstm.Collector.Monitor;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector run</c> (also with no command): take frames from boards over TCP and MQTT and store them until SIGINT/SIGTERM.</summary>
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
        var tlsCert = new Option<string?>("--tcp-tls-cert") { Description = "Serve TCP boards over TLS with this certificate (PEM; boards pin its SHA-256 or check it against their CA). Needs --tcp-tls-key." };
        var tlsKey = new Option<string?>("--tcp-tls-key") { Description = "The private key (PEM) of --tcp-tls-cert." };
        var clientCa = new Option<string?>("--tcp-client-ca") { Description = "With --tcp-tls-cert: refuse every TCP board without a client certificate signed by a CA in this PEM file." };
        var mqtt = new MqttOptions();
        var http = new HttpOptions();
        var command = new Command("run", "Take frames from boards over TCP and MQTT (an embedded broker, or --broker), store them and serve the web monitor until SIGINT or SIGTERM (the default command).") { store, port, bind, tlsCert, tlsKey, clientCa };
        foreach (Option option in mqtt.All.Concat(http.All)) command.Options.Add(option);
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
            string? cert = result.GetValue(tlsCert), key = result.GetValue(tlsKey), ca = result.GetValue(clientCa);
            if ((cert is null) != (key is null) || (ca is not null && cert is null))
            {
                error.WriteLine("edgelstm-collector: --tcp-tls-cert and --tcp-tls-key go together, and --tcp-client-ca needs them.");
                return ExitCodes.BadInput;
            }
            TcpTls? tls = null;
            if (cert is not null && (tls = TcpTls.Load(cert, key!, ca, out string? problem)) is null)
            {
                error.WriteLine($"edgelstm-collector: --tcp-tls-cert: {problem}.");
                return ExitCodes.BadInput;
            }
            using (tls)
            {
                MqttPlan? plan = mqtt.Read(result, error);
                if (plan is null || !http.TryRead(result, error, out MonitorOptions? monitor)) return ExitCodes.BadInput;
                return Run(result.GetValue(store)!, new TcpIngestOptions(new IPEndPoint(address, tcpPort)) { Tls = tls }, plan, monitor, output, error, stop);
            }
        });
        return command;
    }

    private static int Run(string storePath, TcpIngestOptions tcp, MqttPlan mqtt, MonitorOptions? monitorOptions, TextWriter output, TextWriter error, CancellationToken external)
    {
        using IFrameStore? store = StoreOpener.Open(storePath, mustExist: false, error);
        if (store is null) return ExitCodes.BadInput;
        using var signalled = CancellationTokenSource.CreateLinkedTokenSource(external);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        IPEndPoint endpoint = tcp.Endpoint;
        var ingest = new TcpIngest(store, tcp, error);
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
        string tcpTls = tcp.Tls is null ? "" : tcp.Tls.RequiresClientCertificate ? " (TLS, client certificates required)" : " (TLS)";
        output.WriteLine($"edgelstm-collector: listening on tcp {ingest.Endpoint}{tcpTls}, storing in {store.Name}");
        EmbeddedBroker? broker = null;
        if (mqtt.EmbeddedBroker is IPEndPoint brokerEndpoint)
        {
            try
            {
                broker = EmbeddedBroker.Start(brokerEndpoint);
            }
            catch (SocketException e)
            {
                error.WriteLine($"edgelstm-collector: cannot start the embedded MQTT broker on {brokerEndpoint}: {e.SocketErrorCode}");
                ingest.Dispose();
                return ExitCodes.BadInput;
            }
        }
        MqttIngest? mqttIngest = StartMqtt(store, mqtt, broker, output, error);
        MonitorServer? monitor = null;
        if (monitorOptions is not null)
        {
            try
            {
                monitor = MonitorServer.Start(store, (IMonitorStore)store, monitorOptions, TimeProvider.System);
            }
            catch (IOException e)
            {
                error.WriteLine($"edgelstm-collector: cannot serve the monitor on {monitorOptions.Endpoint}: {e.Message}");
                mqttIngest?.Dispose();
                ingest.Dispose();
                broker?.Dispose();
                return ExitCodes.BadInput;
            }
            output.WriteLine($"edgelstm-collector: monitor {monitor.Url}");
        }
        output.Flush();
        signalled.Token.WaitHandle.WaitOne();
        // Close the pages' live streams, then stop taking messages and let each ingest commit and acknowledge what it has;
        // nothing uncommitted is acknowledged.
        monitor?.Dispose();
        mqttIngest?.Dispose();
        ingest.Dispose();
        broker?.Dispose();
        IngestCounters c = ingest.Counters;
        output.WriteLine($"edgelstm-collector: stopped tcp: {c.Connections} connections, {c.Refused} refused, {c.Stored} frames stored, {c.Duplicates} duplicates, {c.DecodeErrors} decode errors, {c.Acks} acks");
        if (mqttIngest?.Counters is IngestCounters m)
        {
            output.WriteLine($"edgelstm-collector: stopped mqtt: {m.Messages} messages, {m.Stored} frames stored, {m.Duplicates} duplicates, {m.DecodeErrors} decode errors, {m.BadTopics} bad topics, {m.Acks} acks");
        }
        return ExitCodes.Success;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // shut down ourselves, gracefully
            signalled.Cancel();
        }
    }

    /// <summary>Starts the MQTT ingest the plan asks for (null without MQTT) and prints its broker's line.</summary>
    private static MqttIngest? StartMqtt(IFrameStore store, MqttPlan plan, EmbeddedBroker? broker, TextWriter output, TextWriter error)
    {
        MqttBrokerAddress? address = broker?.LocalAddress ?? plan.Broker;
        if (address is null) return null;
        var ingest = new MqttIngest(store, new MqttIngestOptions(address) { ClientId = plan.ClientId, TrustedCa = plan.TrustedCa, ClientCertificate = plan.ClientCertificate }, error);
        ingest.Start();
        // Subscribed before the line is printed, so whoever waits for it may publish (an unreachable broker: retried in the background).
        bool subscribed = ingest.WaitUntilSubscribed(TimeSpan.FromSeconds(10));
        string url = broker is null ? $"{address} (external)" : $"{new MqttBrokerAddress(broker.Endpoint.Address.ToString(), broker.Endpoint.Port, UseTls: false)} (embedded)";
        output.WriteLine($"edgelstm-collector: mqtt broker {url}, client id {plan.ClientId}{(subscribed ? "" : ", not connected yet")}");
        return ingest;
    }
}
