using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EdgeLstm.Core;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Core.Signing;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Onnx;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Runtime.Cli;

/// <summary>A board config and a model that were loaded and checked against each other.</summary>
internal sealed record RuntimeSetup(LoadedBoardConfig Board, RuntimeSections Sections, string ConfigLabel, RuntimeModel Model, string ModelPath, string ModelId,
    IReadOnlyList<AlarmRule> Rules, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Loads the config (the embedded demo when <paramref name="configPath"/> is null) and the model
    /// (<paramref name="modelPath"/>, else the config's <c>model.path</c>), and checks that they fit. Returns null
    /// with every problem in <paramref name="problems"/> when running would be pointless. <paramref name="overrides"/> are
    /// written into the file before it is validated.
    /// </summary>
    public static RuntimeSetup? Load(string? configPath, string? modelPath, RunOverrides overrides, out List<string> problems)
    {
        problems = [];
        string label = configPath ?? "the embedded demo board";
        LoadedBoardConfig board;
        RuntimeSections sections;
        try
        {
            (board, sections) = RuntimeBoardFile.Load(configPath ?? EmbeddedDemo.ExtractConfig(), overrides);
        }
        catch (BoardConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{label}: {p}"));
            return null;
        }
        catch (DemoFolderException e)
        {
            problems.Add($"{label}: {e.Message}");
            return null;
        }

        string? path = modelPath ?? (sections.Model?.Path is { } relative ? Path.GetFullPath(relative, board.BaseDirectory) : null);
        if (path is null)
        {
            problems.Add($"{label}: no model: pass --model <file.elstm> or set model.path in the config");
            return null;
        }
        TrustedKeys? trust = LoadTrust(sections.Trust, board.BaseDirectory, label, problems);
        if (trust is null) return null;
        RuntimeModel model;
        string modelId;
        try
        {
            bool onnx = path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
            byte[] bytes = ModelFile.ReadFile(path, onnx ? MaxOnnxFileLength : ModelFile.MaxFileLength);
            ModelSignature.Verify(bytes, trust);
            modelId = ModelFile.ComputeModelId(bytes);
            model = onnx
                ? OnnxModels.Load(path)
                : RuntimeModel.FromCore(ModelFile.Load(bytes));
        }
        catch (OnnxModelException e)
        {
            problems.Add($"model '{path}': {e.Message}");
            return null;
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            problems.Add($"model '{path}' cannot be read: {FileErrors.Describe(e, path)}");
            return null;
        }
        catch (InvalidModelException e)
        {
            problems.Add($"model '{path}' is not usable: {e.Message}");
            return null;
        }
        catch (SignatureException e)
        {
            problems.Add($"model '{path}' is refused: {e.Message}");
            return null;
        }

        problems.AddRange(FitProblems(board, sections, model, out IReadOnlyList<AlarmRule> rules, out List<string> warnings)
            .Select(p => $"{label} and model '{Path.GetFileName(path)}': {p}"));
        var setup = new RuntimeSetup(board, sections, label, model, path, modelId, rules, warnings)
        {
            Trust = trust,
            DeviceId = overrides.DeviceId ?? $"{board.Config.Board.Name}@{Environment.MachineName}",
        };
        if (DeviceIdProblem(setup.DeviceId, sections.Sinks) is { } device) problems.Add($"{label}: {(overrides.DeviceId is null ? "" : "--device-id: ")}{device}");
        if (setup.HelloProblem() is { } hello) problems.Add($"{label} and model '{Path.GetFileName(path)}': {hello}");
        return problems.Count > 0 ? null : setup;
    }

    /// <summary>The keys this board trusts to sign its models; empty when none are pinned.</summary>
    public TrustedKeys Trust { get; init; } = new();

    /// <summary>
    /// Loads <c>trust.modelKeys</c> (relative to the config): the keys, or null with a problem naming each key that cannot be
    /// used. Crypto (OpenSSL) is only touched when keys are pinned, so a board without libssl runs unsigned models.
    /// </summary>
    private static TrustedKeys? LoadTrust(TrustConfig? config, string baseDirectory, string label, List<string> problems)
    {
        var trust = new TrustedKeys();
        IReadOnlyList<string> paths = config?.ModelKeys ?? [];
        for (int i = 0; i < paths.Count; i++)
        {
            string path = Path.GetFullPath(paths[i], baseDirectory);
            try
            {
                trust.Add(SigningKeys.LoadPublic(path), path);
            }
            catch (SignatureException e)
            {
                problems.Add($"{label}: trust.modelKeys[{i}]: {e.Message}");
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
            {
                problems.Add($"{label}: trust.modelKeys[{i}]: checking signatures needs OpenSSL 3 (libssl3), which cannot be loaded: {e.GetBaseException().Message}");
            }
        }
        if (problems.Count == 0) return trust;
        trust.Dispose();
        return null;
    }

    /// <summary>The id this board's frames carry: <c>--device-id</c>, else <c>board.name@hostname</c>.</summary>
    public string DeviceId { get; init; } = "";

    /// <summary>Why <paramref name="deviceId"/> cannot name this board (for MQTT it is a topic level), or null.</summary>
    private static string? DeviceIdProblem(string deviceId, IReadOnlyList<SinkConfig>? sinks)
    {
        if (sinks?.Any(s => s.Type == SinkKind.Mqtt) == true && MqttTopics.DeviceIdProblem(deviceId) is { } topic)
            return $"{topic} ('{Shorten(deviceId)}'): an mqtt sink puts it in its topics; give --device-id or change board.name";
        if (deviceId.Length == 0 || deviceId.Any(char.IsControl))
            return $"the device id '{Shorten(deviceId)}' is empty or holds a control character";
        return null;
    }

    /// <summary>
    /// Why <paramref name="model"/> does not fit the board (what <c>validate</c> checks: channels, sample rate, window,
    /// alarms, memory budget), with the rules it would run; at start, for a remote update, and for the model an update kept.
    /// </summary>
    internal static List<string> FitProblems(LoadedBoardConfig board, RuntimeSections sections, RuntimeModel model, out IReadOnlyList<AlarmRule> rules,
        out List<string> warnings)
    {
        rules = AlarmRule.FromConfig(sections.Decision, model.Metadata);
        List<string> problems = ModelBoardCheck.Problems(board.Config, model, rules, out warnings);
        if (MemoryProblem(model, sections.Model?.MaxMemoryMiB) is { } memory) problems.Add(memory);
        return problems;
    }

    /// <summary>The largest .onnx file the ONNX Runtime backend reads (for its id, then ONNX Runtime loads it).</summary>
    public const long MaxOnnxFileLength = 512L << 20;

    /// <summary>Why the model's memory need is over the board's <c>model.maxMemoryMiB</c>, or null.</summary>
    private static string? MemoryProblem(RuntimeModel model, double? budgetMiB)
    {
        if (budgetMiB is not double budget || model.Memory is not ModelMemory need) return null;
        long budgetBytes = (long)(budget * 1024 * 1024);
        return need.TotalBytes <= budgetBytes ? null : string.Create(CultureInfo.InvariantCulture,
            $"the model needs {ModelDescription.Memory(need)} but model.maxMemoryMiB is {budget} MiB ({budgetBytes:N0} bytes); use a smaller model or window, or raise the budget");
    }

    /// <summary>
    /// Why this run's Hello frame cannot be sent, or null: it carries the board name, the model's channel names and
    /// output labels, and must fit the protocol's payload limit (4 KiB) like every frame.
    /// </summary>
    private string? HelloProblem()
    {
        HelloFrame hello = CreateHello();
        var payload = new ArrayBufferWriter<byte>(1024);
        PayloadEncoder.Write(hello, payload);
        int limit = DecoderLimits.Default.MaxPayloadBytes;
        if (payload.WrittenCount <= limit) return null;
        int channels = hello.ChannelNames.Sum(n => Encoding.UTF8.GetByteCount(n));
        int outputs = hello.OutputLabels.Sum(n => Encoding.UTF8.GetByteCount(n));
        return string.Create(CultureInfo.InvariantCulture,
            $"the Hello frame would be {payload.WrittenCount} bytes, over the protocol's limit of {limit}: the model's {hello.ChannelNames.Count} channel names take {channels} bytes, its {hello.OutputLabels.Count} output labels {outputs} bytes, the device id '{Shorten(hello.DeviceId)}' {Encoding.UTF8.GetByteCount(hello.DeviceId)} bytes (board.name and the host name); shorten them");
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 59), "…");

    /// <summary>
    /// The frame emitter over <paramref name="sinks"/> (which it owns) and <paramref name="journal"/> (which it does
    /// not); a classifier's outputs go out as probabilities, a regressor's or forecaster's as values.
    /// </summary>
    public FrameEmitter CreateEmitter(IReadOnlyList<FrameSink> sinks, FrameJournal? journal = null) =>
        new(sinks, journal, Model.Metadata.OutputNames, Model.Metadata.OutputKind);

    /// <summary>
    /// The pipeline from <paramref name="board"/>'s sampler to <paramref name="emitter"/>, with a Health frame every
    /// <c>health.intervalSeconds</c> (default 10). Commissioned thresholds are kept in <paramref name="calibrationDirectory"/>
    /// (the journal's folder) when one is given, and reused at the next start unless <paramref name="recommission"/>.
    /// </summary>
    public BoardPipeline CreatePipeline(SensorBoard board, FrameEmitter emitter, TextWriter log, string? calibrationDirectory = null, bool recommission = false)
    {
        CalibrationStore? store = calibrationDirectory is null ? null : new CalibrationStore(calibrationDirectory, ModelId, log);
        if (store is not null && recommission && File.Exists(store.Location))
        {
            File.Delete(store.Location);
            log.WriteLine($"edgelstm: --recommission: the thresholds in {store.Location} are discarded; the alarms commission again");
        }
        return new(board.Sampler, board.Alarm, Model, Rules, emitter, TimeSpan.FromSeconds(Sections.Health?.IntervalSeconds ?? 10), log, store);
    }

    /// <summary>The Hello frame a run starts with.</summary>
    public HelloFrame CreateHello() => new()
    {
        ProtocolVersion = ProtocolInfo.Version,
        DeviceId = DeviceId,
        FirmwareVersion = RunCommand.FirmwareVersion,
        ModelId = ModelId,
        ChannelNames = [.. Model.Metadata.Channels.Select(c => c.Name)],
        OutputLabels = [.. Model.Metadata.OutputNames],
        SampleRateHz = (float)Board.Config.Sampler.RateHz,
        EpochUnixMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        SessionId = NewSessionId(),
    };

    /// <summary>
    /// A random session id (docs/protocol.md): a collector tells runs of the board apart by it. It needs to be
    /// unique, not secret, so it comes from a version-4 GUID (the OS's random bytes through libSystem.Native)
    /// rather than <c>RandomNumberGenerator</c>, which on Linux loads OpenSSL: a board without libssl would abort.
    /// </summary>
    internal static ulong NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
    }
}
