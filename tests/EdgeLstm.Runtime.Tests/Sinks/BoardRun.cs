using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>The runtime of one board: journal, sinks, emitter and pipeline, disposed in the order a run ends.</summary>
internal sealed class BoardRun : IDisposable
{
    /// <summary>Delivery timeouts short enough that a test takes seconds: a dead or stalled collector is noticed within 1 s.</summary>
    public static readonly DeliveryTimings Quick = new(
        SendTimeout: TimeSpan.FromMilliseconds(500),
        AckTimeout: TimeSpan.FromSeconds(1),
        MinBackoff: TimeSpan.FromMilliseconds(20),
        MaxBackoff: TimeSpan.FromMilliseconds(200),
        PollInterval: TimeSpan.FromMilliseconds(5),
        ShutdownGrace: TimeSpan.FromSeconds(2));

    public BoardRun(TestBoard board, DeliveryTimings timings, string? journalDirectory, TextWriter log, RunOverrides? overrides = null)
    {
        Setup = RuntimeSetup.Load(board.ConfigPath, null, overrides ?? RunOverrides.None, out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
        Journal = JournalStart.Open(Setup, journalDirectory, log) ?? throw new InvalidOperationException("no journal");
        Sensors = SensorBoard.Create(Setup.Board);
        List<FrameSink> sinks = SinkFactory.Create(Setup.Sections.Sinks, Setup.Board.BaseDirectory, false, Stream.Null, log, Journal, timings, Setup.DeviceId);
        Emitter = Setup.CreateEmitter(sinks, Journal);
        Pipeline = Setup.CreatePipeline(Sensors, Emitter, log);
        Emitter.EmitHello(Setup.CreateHello());
    }

    public RuntimeSetup Setup { get; }

    public FrameJournal Journal { get; }

    public SensorBoard Sensors { get; }

    public FrameEmitter Emitter { get; }

    public BoardPipeline Pipeline { get; }

    public DeliverySink Sink => Emitter.Sinks.OfType<DeliverySink>().Single();

    public void Steps(int samples)
    {
        for (int i = 0; i < samples; i++) Assert.True(Pipeline.Step());
    }

    public void Dispose()
    {
        Emitter.Flush();
        Pipeline.Dispose();
        Emitter.Dispose();
        Sensors.Dispose();
        Journal.Dispose();
    }
}
