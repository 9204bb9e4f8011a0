using System.Diagnostics;
using System.Globalization;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;

namespace EdgeLstm.Bench;

/// <summary>
/// What the journal costs, measured side by side in one run (<c>EdgeLstm.Bench --journal-cost</c>). The journal
/// does its I/O on its own thread, which BenchmarkDotNet's per-invocation timing on the calling thread would not
/// see, so this measures the process's CPU time (every thread) and the wall time until the last frame is synced:
/// the embedded demo pipeline (8 channels, unpaced) without a journal and with one synced every 100 ms and after
/// every frame, and the journal alone appending Prediction-sized records.
/// </summary>
internal static class JournalCost
{
    private const int Rows = RuntimeThroughputBenchmarks.Rows;

    public static int Run(int passes)
    {
        string root = Directory.CreateTempSubdirectory("edgelstm-journal-cost-").FullName;
        try
        {
            Console.WriteLine($"{passes} passes over the demo recording ({passes * Rows} samples) per case, after one round of every case to warm up (tiered JIT); CPU = process CPU time, all threads");
            for (int round = 0; round < 3; round++)
            {
                TextWriter output = round == 0 ? TextWriter.Null : Console.Out;
                output.WriteLine();
                output.WriteLine("| case | CPU per sample | samples/s | frames synced per fsync |");
                output.WriteLine("|---|---:|---:|---:|");
                Pipeline(null, passes, "no journal", output);
                Pipeline(new JournalConfig { Path = Path.Combine(root, $"a{round}"), SyncIntervalMs = 100 }, passes, "journal, fsync every 100 ms", output);
                Pipeline(new JournalConfig { Path = Path.Combine(root, $"b{round}"), SyncIntervalMs = 0, SyncEveryFrames = 1 }, passes, "journal, fsync every frame", output);
            }
            Console.WriteLine();
            Console.WriteLine("| journal alone (40-byte records) | frames/s | CPU per frame | fsyncs |");
            Console.WriteLine("|---|---:|---:|---:|");
            Appends(new JournalConfig { Path = Path.Combine(root, "c"), SyncIntervalMs = 100 }, 200_000, "fsync every 100 ms");
            Appends(new JournalConfig { Path = Path.Combine(root, "d"), SyncIntervalMs = 0, SyncEveryFrames = 1 }, 5_000, "fsync every frame");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Pipeline(JournalConfig? journalConfig, int passes, string name, TextWriter output)
    {
        RuntimeSetup setup = RuntimeSetup.Load(null, null, new RunOverrides(Loop: true), out List<string> problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems));
        setup.Sections.Journal = journalConfig;
        using FrameJournal? journal = JournalStart.Open(setup, null, TextWriter.Null);
        using SensorBoard board = SensorBoard.Create(setup.Board);
        List<FrameSink> sinks = SinkFactory.Create([new SinkConfig { Type = SinkKind.Null }], setup.Board.BaseDirectory, false, Stream.Null, TextWriter.Null, journal);
        using FrameEmitter emitter = setup.CreateEmitter(sinks, journal);
        using BoardPipeline pipeline = setup.CreatePipeline(board, emitter, TextWriter.Null);
        emitter.EmitHello(setup.CreateHello());
        for (int i = 0; i < Rows; i++) pipeline.Step(); // warm-up and commissioning

        (TimeSpan cpu0, long syncs0) = (Process.GetCurrentProcess().TotalProcessorTime, journal?.Counters.Syncs ?? 0);
        var wall = Stopwatch.StartNew();
        ulong firstSequence = emitter.NextSequence;
        for (int i = 0; i < passes * Rows; i++) pipeline.Step();
        journal?.Flush(TimeSpan.FromMinutes(1));
        wall.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        long syncs = (journal?.Counters.Syncs ?? 0) - syncs0;
        double samples = passes * Rows;
        string perSync = syncs > 0 ? ((emitter.NextSequence - firstSequence) / (double)syncs).ToString("F1", CultureInfo.InvariantCulture) : "–";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {cpu.TotalMicroseconds / samples:F1} µs | {samples / wall.Elapsed.TotalSeconds:N0} | {perSync} |"));
    }

    private static void Appends(JournalConfig config, int frames, string name)
    {
        JournalOptions options = config.ToOptions("/");
        using FrameJournal journal = FrameJournal.Open(options.CreateStorage(), options, TextWriter.Null);
        byte[] payload = new byte[40];
        payload[0] = 0x96;
        payload[1] = (byte)FrameType.Prediction;
        ulong sequence = journal.NextSequence;
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long syncs0 = journal.Counters.Syncs;
        var wall = Stopwatch.StartNew();
        for (int i = 0; i < frames; i++)
        {
            while (!journal.Append(FrameType.Prediction, sequence, payload)) Thread.Sleep(1); // the queue is full: let the writer catch up
            sequence++;
        }
        journal.Flush(TimeSpan.FromMinutes(2));
        wall.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {frames / wall.Elapsed.TotalSeconds:N0} | {cpu.TotalMicroseconds / frames:F2} µs | {journal.Counters.Syncs - syncs0} |"));
    }
}
