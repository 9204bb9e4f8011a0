using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.Collector.Tests.Cli;

/// <summary>
/// <c>push-model</c> and <c>push-thresholds</c> through Debian's Mosquitto: a subscriber on the board's <c>cmd</c>
/// topic receives what a board would, and opens it as a board does (signature first, then the strict codec). Every
/// refusal is one line and exit 2, before anything is published.
/// </summary>
[Collection(Ingest.MqttTestGroup.Name)]
public sealed class PushCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _folder = new();
    private readonly ECDsa _key = SigningKeys.Generate();

    public PushCommandTests()
    {
        File.WriteAllText(PrivateKey, SigningKeys.PrivatePem(_key));
        File.WriteAllText(PublicKey, SigningKeys.PublicPem(_key));
        File.Copy(Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-model.elstm"), Model);
    }

    private string PrivateKey => Path.Combine(_folder.Folder, "private.pem");

    private string PublicKey => Path.Combine(_folder.Folder, "public.pem");

    private string Model => Path.Combine(_folder.Folder, "model.elstm");

    /// <summary>A loopback address where nothing listens: a refusal must come before any connection is tried.</summary>
    private const string NoBroker = "mqtt://127.0.0.1:1";

    public void Dispose()
    {
        _key.Dispose();
        _folder.Dispose();
    }

    private (int Exit, string Output, string Error) Push(params string[] args) => CollectorCliTests.Invoke([.. args, "--store", _folder.Path]);

    private TrustedKeys Trusted()
    {
        var trusted = new TrustedKeys();
        trusted.Add(SigningKeys.LoadPublic(PublicKey), PublicKey);
        return trusted;
    }

    [MosquittoFact]
    public void Push_model_publishes_a_signed_command_that_opens_with_the_public_key_and_carries_the_model_signed()
    {
        using var broker = new MosquittoBroker();
        using var board = CommandSubscriber.Connect(broker.Port, "pump-07");
        DateTimeOffset before = DateTimeOffset.UtcNow;

        (int exit, string output, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey,
            "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--version", "42", "--expires", "30m");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Empty(error);
        Received message = board.Next(Patience);
        Assert.Equal("edgelstm/pump-07/cmd", message.Topic);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, message.QoS);
        Assert.False(message.Retain);
        using TrustedKeys trusted = Trusted();
        UpdateCommand command = UpdateCommandCodec.Decode(SignedMessage.Open(message.Payload, trusted, "the command"));
        Assert.Equal((UpdateKind.Model, "pump-07", 42UL, TimeSpan.FromMinutes(30)),
            (command.Kind, command.DeviceId, command.Version, TimeSpan.FromMilliseconds(command.ExpiresUnixMs - command.IssuedUnixMs)));
        Assert.InRange((long)command.IssuedUnixMs, before.ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Empty(command.Thresholds);

        // The unsigned model went out signed with the same key: a board that pins it runs the model at its next start too.
        byte[] model = command.Model.ToArray();
        Assert.Equal(KeyId.Of(_key), ModelSignature.Read(model)!.Key);
        ModelSignature.Verify(model, trusted);
        Assert.Equal(new FileInfo(Model).Length + SignatureBlock.Size, model.Length);
        ModelFile.Load(model);
        string modelId = ModelFile.ComputeModelId(model);
        string expires = DateTimeOffset.FromUnixTimeMilliseconds((long)command.ExpiresUnixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        Assert.Equal($"edgelstm-collector: pushed model {modelId} to pump-07: version 42, key {KeyId.Of(_key)}, expires {expires}\n", output.ReplaceLineEndings("\n"));

        using var store = new SqliteFrameStore(_folder.Path);
        PushRecord recorded = Assert.Single(store.Pushes("pump-07"));
        Assert.Equal(new PushRecord("pump-07", "model", 42, modelId, "", KeyId.Of(_key).ToString(), (long)command.IssuedUnixMs, (long)command.ExpiresUnixMs), recorded);
    }

    [MosquittoFact]
    public void Push_thresholds_publishes_a_signed_command_versioned_by_the_clock_and_valid_for_an_hour()
    {
        using var broker = new MosquittoBroker();
        using var board = CommandSubscriber.Connect(broker.Port, "press-02");
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        (int exit, string output, string error) = Push("push-thresholds", "--device", "press-02", "--set", "anomaly=2.5:1.8", "--set", "bearing=0.9:0.75",
            "--key", PrivateKey, "--broker", $"mqtt://127.0.0.1:{broker.Port}");

        Assert.True(exit == ExitCodes.Success, error);
        Received message = board.Next(Patience);
        Assert.Equal("edgelstm/press-02/cmd", message.Topic);
        using TrustedKeys trusted = Trusted();
        UpdateCommand command = UpdateCommandCodec.Decode(SignedMessage.Open(message.Payload, trusted, "the command"));
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal((UpdateKind.Thresholds, "press-02", 0), (command.Kind, command.DeviceId, command.Model.Length));
        Assert.Equal([new ThresholdUpdate("anomaly", 2.5f, 1.8f), new ThresholdUpdate("bearing", 0.9f, 0.75f)], command.Thresholds);
        Assert.InRange((long)command.Version, before, after); // now in Unix ms: successive pushes rise by themselves
        Assert.Equal(command.Version, command.IssuedUnixMs);
        Assert.Equal(3_600_000UL, command.ExpiresUnixMs - command.IssuedUnixMs);
        Assert.Contains("pushed thresholds anomaly=2.5:1.8 bearing=0.9:0.75 to press-02", output, StringComparison.Ordinal);

        using var store = new SqliteFrameStore(_folder.Path);
        Assert.Equal("anomaly=2.5:1.8 bearing=0.9:0.75", Assert.Single(store.Pushes("press-02")).Thresholds);
    }

    [MosquittoFact]
    public void A_push_nobody_is_subscribed_to_is_recorded_with_a_warning_that_the_broker_drops_it()
    {
        using var broker = new MosquittoBroker();
        (int exit, string output, string error) = Push("push-thresholds", "--device", "never-seen", "--set", "anomaly=2.5:1.8", "--key", PrivateKey,
            "--broker", $"mqtt://127.0.0.1:{broker.Port}");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("pushed thresholds anomaly=2.5:1.8 to never-seen", output, StringComparison.Ordinal);
        Assert.Contains("warning: the broker has no subscriber on edgelstm/never-seen/cmd", error, StringComparison.Ordinal);
        using var store = new SqliteFrameStore(_folder.Path);
        Assert.Single(store.Pushes("never-seen"));
    }

    [Fact]
    public void An_unreadable_model_is_refused()
    {
        File.WriteAllBytes(Model, [.. File.ReadAllBytes(Model)[..200]]); // cut short
        (int exit, _, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("not a model a board can run", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_model_larger_than_an_update_carries_is_refused_before_it_is_read()
    {
        using (FileStream file = File.Create(Model)) file.SetLength(UpdateCommandCodec.MaxModelBytes + 1L);
        (int exit, _, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"an update carries at most {UpdateCommandCodec.MaxModelBytes:N0}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_signed_with_this_key_but_changed_since_is_refused()
    {
        byte[] signed = ModelSignature.Sign(File.ReadAllBytes(Model), _key);
        signed[100] ^= 0x01;
        File.WriteAllBytes(Model, signed);
        (int exit, _, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("not a model a board can run", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("garbage")]
    [InlineData("missing")]
    public void A_key_that_cannot_sign_is_refused(string which)
    {
        string key = which switch
        {
            "public" => PublicKey,
            "missing" => Path.Combine(_folder.Folder, "nothing.pem"),
            _ => Path.Combine(_folder.Folder, "garbage.pem"),
        };
        if (which == "garbage") File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
        (int exit, _, string error) = Push("push-thresholds", "--device", "pump-07", "--set", "anomaly=2.5:1.8", "--key", key, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith("edgelstm-collector: --key: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("pump/07")]
    [InlineData("pump+")]
    [InlineData("")]
    public void A_device_id_that_cannot_be_a_topic_level_is_refused(string device)
    {
        (int exit, _, string error) = Push("push-model", "--device", device, Model, "--key", PrivateKey, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith("edgelstm-collector: --device: the device id", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_broker_is_one_line_and_nothing_is_recorded()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // free once closed: nobody listens there
        }
        (int exit, string output, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey, "--broker", $"mqtt://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Empty(output);
        Assert.StartsWith($"edgelstm-collector: cannot reach the broker mqtt://127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        using var store = new SqliteFrameStore(_folder.Path);
        Assert.Empty(store.Pushes(null));
    }

    [Theory]
    [InlineData("anomaly=1.5:2.5", "above the raise threshold")]
    [InlineData("anomaly=2.5", "is not name=raise:clear")]
    [InlineData("anomaly=NaN:1", "is not name=raise:clear")]
    public void A_threshold_that_is_not_raise_then_a_lower_clear_is_refused(string set, string problem)
    {
        (int exit, _, string error) = Push("push-thresholds", "--device", "pump-07", "--set", set, "--key", PrivateKey, "--broker", NoBroker);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--version", "0")]
    [InlineData("--version", "-3")]
    [InlineData("--expires", "0s")]
    [InlineData("--expires", "31d")]
    [InlineData("--expires", "soon")]
    public void A_version_or_expiry_out_of_range_is_refused(string option, string value)
    {
        (int exit, _, string error) = Push("push-model", "--device", "pump-07", Model, "--key", PrivateKey, "--broker", NoBroker, option, value);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    /// <summary>A message as the subscriber received it.</summary>
    private sealed record Received(string Topic, MqttQualityOfServiceLevel QoS, bool Retain, byte[] Payload);

    /// <summary>A board's side of the <c>cmd</c> topic: an MQTTnet client subscribed at QoS 1, collecting what arrives.</summary>
    private sealed class CommandSubscriber : IDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly BlockingCollection<Received> _messages = [];

        public static CommandSubscriber Connect(int port, string device)
        {
            var subscriber = new CommandSubscriber();
            subscriber._client.ApplicationMessageReceivedAsync += args =>
            {
                MqttApplicationMessage m = args.ApplicationMessage;
                // Copied: the payload's buffer belongs to the client once this handler returns.
                subscriber._messages.Add(new Received(m.Topic, m.QualityOfServiceLevel, m.Retain, m.Payload.ToArray()));
                return Task.CompletedTask;
            };
            MqttClientOptions options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"board-{device}").WithTimeout(TimeSpan.FromSeconds(10)).Build();
            using var timeout = new CancellationTokenSource(Patience);
            subscriber._client.ConnectAsync(options, timeout.Token).GetAwaiter().GetResult();
            subscriber._client.SubscribeAsync(MqttTopics.For(device, MqttTopics.Command), MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token).GetAwaiter().GetResult();
            return subscriber;
        }

        /// <summary>The next message; fails after <paramref name="patience"/>.</summary>
        public Received Next(TimeSpan patience)
        {
            Assert.True(_messages.TryTake(out Received? message, patience), "no command arrived");
            return message!;
        }

        public void Dispose()
        {
            if (_client.IsConnected) _client.DisconnectAsync().GetAwaiter().GetResult();
            _client.Dispose();
            _messages.Dispose();
        }
    }
}
