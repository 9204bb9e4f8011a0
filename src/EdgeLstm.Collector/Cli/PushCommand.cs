using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EdgeLstm.Collector.Push;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Cli;

/// <summary>
/// <c>edgelstm-collector push-model</c> and <c>push-thresholds</c>: build an <see cref="UpdateCommand"/> for one board,
/// seal it with the operator's private key (<see cref="SignedMessage"/>), publish it at QoS 1 to
/// <c>edgelstm/&lt;deviceId&gt;/cmd</c>, wait for the broker's PUBACK, record it in the store and print one line.
/// Anything that stops the push (a bad device id, key, model, threshold, store or broker) is one line and exit 2.
/// </summary>
internal static partial class PushCommand
{
    /// <summary>The broker a push goes to without <c>--broker</c>: the embedded broker of a collector on this machine.</summary>
    public const string DefaultBroker = "mqtt://127.0.0.1:1883";

    /// <summary>How long a command is valid without <c>--expires</c>.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(1);

    /// <summary>The longest <c>--expires</c> taken: a signed command is a standing order until it expires.</summary>
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(30);

    /// <summary><c>push-model --device ID model.elstm --key private.pem</c>.</summary>
    public static Command CreateModel(TimeProvider clock)
    {
        var options = new PushOptions();
        var model = new Argument<string>("model") { Description = "The .elstm model to send; an unsigned one is signed with --key first (boards that pin keys run only signed models)." };
        var command = new Command("push-model", "Send one board a new model as a signed update over MQTT (edgelstm/<device>/cmd) and record the push.") { model };
        options.AddTo(command);
        command.SetAction(result =>
        {
            TextWriter error = result.InvocationConfiguration.Error;
            if (!options.TryRead(result, clock, error, out PushSettings? settings)) return ExitCodes.BadInput;
            using ECDsa key = settings.Key;
            if (!TryReadModel(result.GetValue(model)!, key, error, out byte[]? bytes, out string? problem))
            {
                error.WriteLine($"edgelstm-collector: {problem}");
                return ExitCodes.BadInput;
            }
            UpdateCommand update = settings.Command(UpdateKind.Model) with { Model = bytes };
            string modelId = ModelFile.ComputeModelId(bytes);
            return Push(settings, update, new PushRecord(settings.DeviceId, "model", settings.Version, modelId, "", KeyId.Of(key).ToString(),
                (long)update.IssuedUnixMs, (long)update.ExpiresUnixMs), $"model {modelId}", result.InvocationConfiguration.Output, error);
        });
        return command;
    }

    /// <summary><c>push-thresholds --device ID --set anomaly=2.5:1.8 … --key private.pem</c>.</summary>
    public static Command CreateThresholds(TimeProvider clock)
    {
        var options = new PushOptions();
        var set = new Option<string[]>("--set")
        {
            Description = "An alarm's new thresholds, name=raise:clear (clear at most raise), e.g. anomaly=2.5:1.8; repeat for several alarms.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("push-thresholds", "Send one board new alarm thresholds as a signed update over MQTT (edgelstm/<device>/cmd) and record the push.") { set };
        options.AddTo(command);
        command.SetAction(result =>
        {
            TextWriter error = result.InvocationConfiguration.Error;
            if (!TryParseThresholds(result.GetValue(set) ?? [], out List<ThresholdUpdate> thresholds, out string problem))
            {
                error.WriteLine($"edgelstm-collector: --set {problem}");
                return ExitCodes.BadInput;
            }
            if (!options.TryRead(result, clock, error, out PushSettings? settings)) return ExitCodes.BadInput;
            using ECDsa key = settings.Key;
            UpdateCommand update = settings.Command(UpdateKind.Thresholds) with { Thresholds = thresholds };
            string text = ThresholdText(thresholds);
            return Push(settings, update, new PushRecord(settings.DeviceId, "thresholds", settings.Version, "", text, KeyId.Of(key).ToString(),
                (long)update.IssuedUnixMs, (long)update.ExpiresUnixMs), $"thresholds {text}", result.InvocationConfiguration.Output, error);
        });
        return command;
    }

    /// <summary>Seals, publishes, records and reports one update.</summary>
    private static int Push(PushSettings settings, UpdateCommand update, PushRecord record, string what, TextWriter output, TextWriter error)
    {
        byte[] message = SignedMessage.Seal(UpdateCommandCodec.Encode(update), settings.Key);
        using IFrameStore? store = StoreOpener.Open(settings.Store, mustExist: false, error);
        if (store is null) return ExitCodes.BadInput;
        PublishOutcome outcome;
        try
        {
            outcome = UpdatePublisher.PublishAsync(settings.Broker, settings.DeviceId, message, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (PublishException e)
        {
            error.WriteLine($"edgelstm-collector: {e.Message}; nothing was sent to {settings.DeviceId}.");
            return ExitCodes.BadInput;
        }
        store.RecordPush(record);
        output.WriteLine($"edgelstm-collector: pushed {what} to {settings.DeviceId}: version {update.Version}, key {record.KeyId}, expires {Csv.Time(record.ExpiresUnixMs)}");
        if (outcome == PublishOutcome.NoSubscribers)
        {
            error.WriteLine($"edgelstm-collector: warning: the broker has no subscriber on {MqttTopics.For(settings.DeviceId, MqttTopics.Command)}: no board of that id is connected or has a session there, so nobody will receive this push.");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// The model file as it is pushed: at most <see cref="UpdateCommandCodec.MaxModelBytes"/>, a model
    /// <see cref="ModelFile.Load(ReadOnlySpan{byte})"/> reads, signed (with <paramref name="key"/> when it was not).
    /// </summary>
    internal static bool TryReadModel(string path, ECDsa key, TextWriter error, out byte[] bytes, out string problem)
    {
        bytes = [];
        try
        {
            long length = new FileInfo(path).Length;
            if (length > UpdateCommandCodec.MaxModelBytes)
            {
                problem = $"{path}: the model is {length:N0} bytes; an update carries at most {UpdateCommandCodec.MaxModelBytes:N0}.";
                return false;
            }
            bytes = ModelFile.ReadFile(path);
            ModelFile.Load(bytes);
            SignatureBlock? signature = ModelSignature.Read(bytes);
            if (signature is null)
            {
                bytes = ModelSignature.Sign(bytes, key);
                if (bytes.Length > UpdateCommandCodec.MaxModelBytes)
                {
                    problem = $"{path}: the model signed is {bytes.Length:N0} bytes; an update carries at most {UpdateCommandCodec.MaxModelBytes:N0}.";
                    return false;
                }
            }
            else if (signature.Key.Equals(KeyId.Of(key)))
            {
                // Signed with this key: it must still verify, or every board would refuse it after the update was spent.
                using var own = new TrustedKeys();
                own.Add(ECDsa.Create(key.ExportParameters(false)), "--key");
                ModelSignature.Verify(bytes, own);
            }
            else
            {
                error.WriteLine($"edgelstm-collector: note: {path} is signed by key {signature.Key}, not by --key; boards must pin that key too to run it.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidModelException or SignatureException)
        {
            problem = e is InvalidModelException or SignatureException ? $"{path}: not a model a board can run: {e.Message}" : $"{path}: cannot be read: {e.Message}";
            problem = problem.ReplaceLineEndings(" ");
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>Parses <c>name=raise:clear</c> values (at most <see cref="UpdateCommandCodec.MaxThresholds"/>, each alarm once).</summary>
    internal static bool TryParseThresholds(IReadOnlyList<string> values, out List<ThresholdUpdate> thresholds, out string problem)
    {
        thresholds = [];
        problem = "";
        if (values.Count is 0 or > UpdateCommandCodec.MaxThresholds)
        {
            problem = $"takes 1 to {UpdateCommandCodec.MaxThresholds} alarms; got {values.Count}.";
            return false;
        }
        foreach (string value in values)
        {
            Match match = ThresholdPattern().Match(value);
            if (!match.Success
                || !float.TryParse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out float raise)
                || !float.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out float clear)
                || !float.IsFinite(raise) || !float.IsFinite(clear))
            {
                problem = $"'{value}' is not name=raise:clear with two finite numbers, e.g. anomaly=2.5:1.8.";
                return false;
            }
            string name = match.Groups[1].Value.Trim();
            if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 128 || name.Any(char.IsControl))
            {
                problem = $"'{value}': the alarm name must be 1 to 128 UTF-8 bytes without control characters.";
                return false;
            }
            if (clear > raise)
            {
                problem = $"'{value}': the clear threshold {clear.ToString(CultureInfo.InvariantCulture)} is above the raise threshold {raise.ToString(CultureInfo.InvariantCulture)}.";
                return false;
            }
            if (thresholds.Any(t => t.Alarm == name))
            {
                problem = $"names alarm '{name}' twice.";
                return false;
            }
            thresholds.Add(new ThresholdUpdate(name, raise, clear));
        }
        return true;
    }

    /// <summary>Thresholds as <c>--set</c> takes them: <c>anomaly=2.5:1.8 bearing=0.9:0.7</c>.</summary>
    internal static string ThresholdText(IEnumerable<ThresholdUpdate> thresholds) => string.Join(' ', thresholds.Select(t =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Alarm}={t.Threshold}:{t.ClearThreshold}")));

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c> or a TimeSpan (<c>01:30:00</c>).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        Match match = DurationPattern().Match(text.Trim());
        if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count <= 1_000_000)
        {
            duration = match.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(count),
                "m" => TimeSpan.FromMinutes(count),
                "h" => TimeSpan.FromHours(count),
                _ => TimeSpan.FromDays(count),
            };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    [GeneratedRegex(@"^([^=]+)=([^:]+):(.+)$")]
    private static partial Regex ThresholdPattern();

    [GeneratedRegex(@"^(\d+)\s*(s|m|h|d)$")]
    private static partial Regex DurationPattern();

    /// <summary>What every push needs, read and checked.</summary>
    private sealed record PushSettings(string DeviceId, ECDsa Key, MqttBrokerAddress Broker, ulong Version, DateTimeOffset Issued, TimeSpan Expiry, string Store)
    {
        /// <summary>The command without its model or thresholds.</summary>
        public UpdateCommand Command(UpdateKind kind) => new()
        {
            Kind = kind,
            DeviceId = DeviceId,
            Version = Version,
            IssuedUnixMs = (ulong)Issued.ToUnixTimeMilliseconds(),
            ExpiresUnixMs = (ulong)(Issued + Expiry).ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The options both push commands take.</summary>
    private sealed class PushOptions
    {
        private readonly Option<string> _device = new("--device", "-d") { Description = "The board to update (its device id, the second level of its topics).", Required = true };
        private readonly Option<string> _key = new("--key") { Description = "The private key (PEM, ECDSA P-256, from edgelstm-convert keygen) that signs the update; boards verify it against their pinned public keys.", Required = true };
        private readonly Option<string> _broker = new("--broker") { Description = $"The MQTT broker the board is connected to: mqtt://host[:port] or mqtts://host[:port]; user:password@ in the URL are the credentials. Default: {DefaultBroker}.", DefaultValueFactory = _ => DefaultBroker };
        private readonly Option<string?> _username = new("--broker-username") { Description = "The user name for --broker (instead of the URL's)." };
        private readonly Option<string?> _password = new("--broker-password") { Description = "The password for --broker (instead of the URL's)." };
        private readonly Option<string?> _version = new("--version") { Description = "The update's version, above every version the board accepted before. Default: now in Unix ms, so successive pushes rise by themselves." };
        private readonly Option<string> _expires = new("--expires") { Description = "How long the board may apply the update: 90s, 30m, 1h, 2d (at most 30 days). Default: 1h.", DefaultValueFactory = _ => "1h" };
        private readonly Option<string> _store = CollectorCli.StoreOption();

        public void AddTo(Command command)
        {
            foreach (Option option in (Option[])[_device, _key, _broker, _username, _password, _version, _expires, _store]) command.Options.Add(option);
        }

        /// <summary>The settings, or false with one line written to <paramref name="error"/>. The key is the caller's to dispose.</summary>
        public bool TryRead(ParseResult result, TimeProvider clock, TextWriter error, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PushSettings? settings)
        {
            settings = null;
            string device = result.GetValue(_device)!;
            if (MqttTopics.DeviceIdProblem(device) is string problem) return Fail(error, $"--device: {problem}.");
            if (!MqttBrokerAddress.TryParse(result.GetValue(_broker), out MqttBrokerAddress? broker, out string brokerProblem)) return Fail(error, $"--broker '{result.GetValue(_broker)}' {brokerProblem}.");
            broker = broker with { Username = result.GetValue(_username) ?? broker.Username, Password = result.GetValue(_password) ?? broker.Password };
            if (broker.Password is not null && broker.Username is null) return Fail(error, "--broker-password needs a user name (--broker-username or user@ in --broker).");
            DateTimeOffset now = clock.GetUtcNow();
            ulong version = (ulong)now.ToUnixTimeMilliseconds();
            if (result.GetValue(_version) is string versionText && (!ulong.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out version) || version == 0))
                return Fail(error, $"--version must be a whole number from 1 to {ulong.MaxValue}; got '{versionText}'.");
            if (!TryParseDuration(result.GetValue(_expires)!, out TimeSpan expiry) || expiry <= TimeSpan.Zero || expiry > MaxExpiry)
                return Fail(error, $"--expires must be a duration from 1s to 30d, e.g. 30m or 1h; got '{result.GetValue(_expires)}'.");
            ECDsa key;
            try
            {
                key = SigningKeys.LoadPrivate(result.GetValue(_key)!);
            }
            catch (SignatureException e)
            {
                return Fail(error, $"--key: {e.Message.ReplaceLineEndings(" ")}");
            }
            settings = new PushSettings(device, key, broker, version, now, expiry, result.GetValue(_store)!);
            return true;
        }

        private static bool Fail(TextWriter error, string message)
        {
            error.WriteLine($"edgelstm-collector: {message}");
            return false;
        }
    }
}
