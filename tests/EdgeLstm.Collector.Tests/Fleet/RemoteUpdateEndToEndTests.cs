using System.Security.Cryptography;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Tests.Cli;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>
/// Issue 18's update end to end with real parts: the collector's <c>push-model</c> sends a signed model through a real
/// Mosquitto to a running demo board (the real runtime, real-time clock, its keys pinned, on Mosquitto's TLS listener
/// with a client certificate); the board switches at a sample boundary and the collector (a child process, on the
/// broker's loopback port) stores the new model id and the board's Event; then a rollback and a forged update are
/// refused by the board, and the collector stores both refusals.
/// </summary>
[Collection(PostgresTests.Name)] // one fleet at a time: each runs a broker, collectors and a board
public sealed class RemoteUpdateEndToEndTests : IDisposable
{
    private const string Device = "pump-42";

    private readonly TestCertificates _pki = new();
    private readonly MosquittoTls _tls;
    private readonly FleetRig _rig;
    private readonly ECDsa _fleetKey = SigningKeys.Generate();
    private readonly ECDsa _forgerKey = SigningKeys.Generate();

    public RemoteUpdateEndToEndTests()
    {
        _tls = new MosquittoTls(_pki);
        _rig = new FleetRig(_tls);
    }

    public void Dispose()
    {
        _rig.Dispose();
        _pki.Dispose();
        _fleetKey.Dispose();
        _forgerKey.Dispose();
    }

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(_rig.Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (int Exit, string Output, string Error) PushModel(string model, string key, FleetStore store, string? version = null) =>
        CollectorCliTests.Invoke(["push-model", "--device", Device, model, "--key", key, "--broker", $"mqtt://127.0.0.1:{_rig.Broker.Port}", "--store", store.Store,
            .. version is null ? Array.Empty<string>() : ["--version", version]]);

    private static List<EventRecord> Events(FleetStore store)
    {
        using IFrameStore opened = store.Open();
        return [.. opened.Events(Device, default)];
    }

    [MosquittoFact]
    public void A_pushed_model_runs_from_a_sample_boundary_and_a_rollback_and_a_forgery_are_refused_and_stored()
    {
        byte[] demo = File.ReadAllBytes(Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-model.elstm"));
        string running = Path.Combine(_rig.Folder, "running.elstm");
        File.WriteAllBytes(running, ModelSignature.Sign(demo, _fleetKey));
        RecurrentModel retrained = ModelFile.Load(demo);
        retrained = retrained with { Metadata = retrained.Metadata with { Name = "demo-retrained" } };
        string next = Path.Combine(_rig.Folder, "retrained.elstm");
        File.WriteAllBytes(next, ModelFile.ToBytes(retrained)); // push-model signs it
        string fleetPrivate = WriteFile("fleet-private.pem", SigningKeys.PrivatePem(_fleetKey));
        string fleetPublic = WriteFile("fleet-public.pem", SigningKeys.PublicPem(_fleetKey));
        string forgerPrivate = WriteFile("forger-private.pem", SigningKeys.PrivatePem(_forgerKey));

        FleetStore store = _rig.SqliteStore();
        CollectorProcess collector = _rig.StartCollector(store, "update-collector");
        string overTls = $"mqtts://127.0.0.1:{_rig.Broker.CertificateTlsPort}?ca={_pki.CaFile}&cert={_pki.ClientCert}&key={_pki.ClientKey}";
        using DemoBoard board = DemoBoard.Start(_rig.Broker.Port, Device, _rig.Journal(Device), TimeSpan.FromHours(1), loop: true, sink: overTls,
            adjust: o => o with { Model = running, TrustedKeys = [fleetPublic], Speed = RunSpeed.Realtime });
        string oldId = ModelFile.ComputeModelId(File.ReadAllBytes(running));
        Assert.True(SpinWait.SpinUntil(() => store.Device(Device)?.ModelId == oldId, FleetRig.Patience), $"board not seen: {board.Log}\n{_rig.Logs}");

        (int exit, string output, string error) = PushModel(next, fleetPrivate, store, version: "100");
        Assert.True(exit == 0, output + error);
        Assert.True(SpinWait.SpinUntil(() => Events(store).Any(e => e.Kind == (int)BoardEventKind.UpdateApplied), FleetRig.Patience), $"no update applied: {board.Log}\n{_rig.Logs}");
        EventRecord applied = Events(store).Single();
        Assert.Equal(100ul, applied.UpdateVersion);
        Assert.NotEqual(oldId, applied.ModelId);
        Assert.True(SpinWait.SpinUntil(() => store.Device(Device)?.ModelId == applied.ModelId, FleetRig.Patience), $"the collector did not record the new model: {store.Device(Device)}");

        Assert.Equal(0, PushModel(next, fleetPrivate, store, version: "99").Exit);
        Assert.True(SpinWait.SpinUntil(() => Events(store).Count == 2, FleetRig.Patience), $"rollback not reported: {board.Log}");
        EventRecord rollback = Events(store)[1];
        Assert.Equal((int)BoardEventKind.UpdateRefused, rollback.Kind);
        Assert.Contains("not above the last accepted version 100", rollback.Message);

        Assert.Equal(0, PushModel(next, forgerPrivate, store, version: "101").Exit);
        Assert.True(SpinWait.SpinUntil(() => Events(store).Count == 3, FleetRig.Patience), $"forgery not reported: {board.Log}");
        EventRecord forged = Events(store)[2];
        Assert.Equal((int)BoardEventKind.UpdateRefused, forged.Kind);
        Assert.Contains("does not trust", forged.Message);
        Assert.Equal(applied.ModelId, forged.ModelId); // still on the pushed model

        using IFrameStore opened = store.Open();
        Assert.Equal(3, opened.Pushes(Device).Count);
        collector.Stop();
    }
}
