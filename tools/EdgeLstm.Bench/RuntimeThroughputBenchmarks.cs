using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors.Devices;
using EdgeLstm.Sensors;

namespace EdgeLstm.Bench;

/// <summary>
/// End-to-end runtime throughput: the embedded demo board as <c>edgelstm run --loop</c> runs it, unpaced (its fast
/// clock), every stage on — the CSV replay through the sampler (bad-read policy, held values), normalizer, the
/// windowed LSTM (window 16, stride 1: 16 steps per sample), the residual scorer, the commissioned alarm tracker,
/// Health frames, frame encoding (stream and datagram forms, plus the readable line for text) and the stdout sink,
/// here writing to <see cref="Stream.Null"/>. One invocation is one pass over the 1154-row recording, so each holds
/// the same normal rows, the fault, and an alarm raised and cleared; times are per sample.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputColumns))]
public class RuntimeThroughputBenchmarks
{
    /// <summary>Rows of the demo recording (SKAB valve1/5): samples per invocation.</summary>
    public const int Rows = 1154;

    /// <summary>Channels per sample of the demo board.</summary>
    public const int Channels = 8;

    private SensorBoard _board = null!;
    private FrameEmitter _emitter = null!;
    private BoardPipeline _pipeline = null!;

    /// <summary>The demo model's weights: the shipped int8 file, or float32 converted from its ONNX original.</summary>
    [Params(ModelPrecision.Int8, ModelPrecision.Float32)]
    public ModelPrecision Precision { get; set; }

    /// <summary>What stdout gets: readable lines (<c>edgelstm run</c>'s default) or framed MessagePack.</summary>
    [Params(OutputFormat.Text, OutputFormat.Msgpack)]
    public OutputFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RuntimeSetup setup = RuntimeSetup.Load(null, null, new RunOverrides(Loop: true), out List<string> problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems));
        if (Precision == ModelPrecision.Float32) setup = setup with { Model = RuntimeModel.FromCore(DemoModelFloat32(setup.Model.Metadata)) };
        if (setup.Model.Backend != Precision.ToString() || setup.Model.InputSize != Channels || !setup.Board.Config.Devices.OfType<ReplayConfig>().Single().Loop)
            throw new InvalidOperationException($"the demo board is not what this benchmark expects: {setup.Model.Backend}, {setup.Model.InputSize} channels");

        _board = SensorBoard.Create(setup.Board);
        List<FrameSink> sinks = SinkFactory.Create(setup.Sections.Sinks, setup.Board.BaseDirectory, Format == OutputFormat.Text, Stream.Null, TextWriter.Null);
        _emitter = setup.CreateEmitter(sinks);
        _pipeline = setup.CreatePipeline(_board, _emitter, TextWriter.Null);
        _emitter.EmitHello(setup.CreateHello());

        // The first pass commissions the alarm threshold; then the alarm must rise and clear in the fault, so both
        // precisions are measured doing the same job.
        OnePassOfTheRecording();
        if (_pipeline.AlarmChanges != 2 || _pipeline.Predictions != Rows - 15)
            throw new InvalidOperationException($"{Precision}: one pass gave {_pipeline.Predictions} predictions and {_pipeline.AlarmChanges} alarm changes; expected {Rows - 15} and 2");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        _emitter.Dispose();
        _board.Dispose();
    }

    /// <summary>1154 samples (one pass over the recording), sampled and run through every stage.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public long OnePassOfTheRecording()
    {
        for (int i = 0; i < Rows; i++)
        {
            if (!_pipeline.Step()) throw new InvalidOperationException("the looped replay ended");
        }
        return _pipeline.Predictions;
    }

    /// <summary>The demo model in float32: its ONNX original converted as <c>edgelstm-convert --precision float32</c> does, with the shipped model's metadata.</summary>
    private static RecurrentModel DemoModelFloat32(ModelMetadata metadata)
    {
        using Stream resource = typeof(RuntimeThroughputBenchmarks).Assembly.GetManifestResourceStream("demo-model.onnx")
            ?? throw new InvalidOperationException("demo-model.onnx is not embedded in this build");
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        RecurrentModel model = GraphImporter.Import(OnnxFile.Parse(bytes.ToArray(), "demo-model.onnx"), "demo-model.onnx").Model with { Metadata = metadata };
        model.Validate();
        return model;
    }

    /// <summary>Samples per second and channel values per second, from the median time per sample.</summary>
    private sealed class ThroughputColumns : ManualConfig
    {
        public ThroughputColumns()
        {
            AddColumn(new RateColumn("samples/s", 1), new RateColumn("channels × samples/s", Channels));
        }
    }

    private sealed class RateColumn(string name, double perSample) : IColumn
    {
        public string Id => nameof(RateColumn) + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} at the median time per sample";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics?.Median is double ns and > 0
                ? (perSample * 1e9 / ns).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                : "-";
    }
}
