using System.Buffers;
using System.CommandLine;
using System.Security.Cryptography;
using EdgeLstm.Core;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary><c>edgelstm journal DIR [--export FILE]</c> on a real journal folder, through the command line.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-journal-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string JournalFolder => Path.Combine(_directory, "journal");

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = EdgeLstmCli.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static byte[] Encode<TFrame>(in TFrame frame)
        where TFrame : IWireFrame
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadEncoder.Write(frame, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A journal as a board leaves it: a Hello, Predictions, Health, an Alarm, a second session's Hello, one consumer part-way; three segments.</summary>
    private List<(FrameType Type, ulong Sequence)> WriteBoardJournal()
    {
        var written = new List<(FrameType, ulong)>();
        using FrameJournal journal = FrameJournal.Open(new DiskJournalStorage(JournalFolder), new JournalOptions(JournalFolder, 1 << 20, segmentBytes: 4200), TextWriter.Null);
        int consumer = journal.AddConsumer("tcp collector:7000");
        for (uint s = 0; s < 400; s++)
        {
            (FrameType type, byte[] payload) = s switch
            {
                0 or 250 => (FrameType.Hello, Encode(new HelloFrame
                {
                    ProtocolVersion = ProtocolInfo.Version, DeviceId = s == 0 ? "pump@pi" : "pump@pi-2", SessionId = s == 0 ? 0xA1UL : 0xB2UL, Sequence = (ulong)s, FirmwareVersion = "1.0.0", ModelId = "abc123",
                    ChannelNames = ["Pressure", "Current"], OutputLabels = ["normal", "fault"], SampleRateHz = 10, EpochUnixMs = 1_735_689_600_000UL + s,
                })),
                120 => (FrameType.Alarm, Encode(new AlarmFrame { Sequence = s, TimeMs = s * 100, Raised = true, ClassIndex = -1, Score = 3.5f, DurationMs = 500 })),
                _ when s % 50 == 10 => (FrameType.Health, Encode(new HealthFrame { Sequence = s, TimeMs = s * 100, UptimeSeconds = s / 10, SamplesRead = s, ChannelReadErrors = new uint[] { 0, 1 } })),
                _ => (FrameType.Prediction, Encode(new PredictionFrame { Sequence = s, TimeMs = s * 100, Probabilities = new byte[] { 200, 55 }, AnomalyLevel = 10 })),
            };
            for (int attempt = 0; !journal.Append(type, s, payload); attempt++)
            {
                Assert.True(attempt < 1000);
                Thread.Sleep(1);
            }

            written.Add((type, s));
        }

        Assert.True(journal.Flush(TimeSpan.FromSeconds(5)));
        journal.Acknowledge(consumer, 99); // inside the first segment: nothing is released yet
        return written;
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("export.bin", StringComparison.Ordinal))
            .ToDictionary(f => f, f => $"{File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}");

    [Fact]
    public async Task Journal_summarises_a_folder_without_changing_it_and_exports_every_record_in_order()
    {
        List<(FrameType Type, ulong Sequence)> written = WriteBoardJournal();
        File.WriteAllText(Path.Combine(JournalFolder, "notes.txt"), "not the journal's");
        string export = Path.Combine(_directory, "export.bin");
        Dictionary<string, string> before = Snapshot();

        (int exit, string output, string error) = Invoke("journal", JournalFolder, "--export", export);

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Equal(before, Snapshot());
        Assert.Contains($"journal   {JournalFolder} (read only: nothing was changed)", output, StringComparison.Ordinal);
        Assert.True(output.Contains("records   400, sequences 0 … 399: 389 Prediction, 8 Health, 1 Alarm, 2 Hello", StringComparison.Ordinal), output);
        Assert.Contains("resumes   at sequence 400", output, StringComparison.Ordinal);
        Assert.Contains("session   Hello at sequence 0: session 00000000000000a1, device pump@pi, model abc123, epoch 1735689600000 (2025-01-01 00:00:00Z), 2 channels", output, StringComparison.Ordinal);
        Assert.Contains("session   Hello at sequence 250: session 00000000000000b2, device pump@pi-2", output, StringComparison.Ordinal);
        Assert.Contains("consumer  tcp collector:7000: acknowledged through 99; 300 unacknowledged", output, StringComparison.Ordinal);
        Assert.Contains("evicted   0 Prediction, 0 Health, 0 Alarm, 0 Event, 0 Hello", output, StringComparison.Ordinal);
        Assert.Contains("damaged   0 segments quarantined so far; quarantine/: empty", output, StringComparison.Ordinal);
        Assert.Contains("torn      0 bytes", output, StringComparison.Ordinal);
        Assert.Contains("ignored   notes.txt (not the journal's)", output, StringComparison.Ordinal);
        Assert.Contains("exported  400 records to", output, StringComparison.Ordinal);
        Assert.Matches(@"segments  \d+ \([\d,]+ bytes\): 00000000000000000000\.seg … \d{20}\.seg", output);

        // Any stream decoder reads the export: exactly the records, in order.
        var decoded = new List<DecodeResult>();
        await using (FileStream stream = File.OpenRead(export))
        {
            var decoder = new StreamFrameDecoder();
            byte[] bytes = File.ReadAllBytes(export);
            ReadOnlySpan<byte> rest = bytes;
            while (decoder.TryDecodeNext(rest, out int consumed, out DecodeResult result))
            {
                decoded.Add(result);
                rest = rest[consumed..];
            }

            Assert.False(decoder.TryFinish(out _));
            var viaReader = new List<DecodeResult>();
            await foreach (DecodeResult frame in FrameStreamReader.ReadAllAsync(stream)) viaReader.Add(frame);
            Assert.Equal(decoded.Select(d => d.FrameType), viaReader.Select(d => d.FrameType));
        }

        Assert.Equal(written.Count, decoded.Count);
        for (int i = 0; i < written.Count; i++)
        {
            Assert.True(decoded[i].IsFrame, decoded[i].ToString());
            Assert.Equal(written[i].Type, decoded[i].FrameType);
            ulong sequence = decoded[i].FrameType switch
            {
                FrameType.Hello => decoded[i].Hello.Sequence,
                FrameType.Prediction => decoded[i].Prediction.Sequence,
                FrameType.Alarm => decoded[i].Alarm.Sequence,
                _ => decoded[i].Health.Sequence,
            };
            Assert.Equal(written[i].Sequence, sequence);
        }
    }

    [Fact]
    public void A_damaged_segment_and_a_torn_tail_are_reported_but_not_repaired()
    {
        WriteBoardJournal();
        string[] segments = [.. Directory.GetFiles(JournalFolder, "*.seg").Order(StringComparer.Ordinal)];
        byte[] middle = File.ReadAllBytes(segments[1]);
        middle[middle.Length / 2] ^= 0x10;
        File.WriteAllBytes(segments[1], middle);
        File.AppendAllText(segments[^1], "torn");
        Dictionary<string, string> before = Snapshot();

        (int exit, string output, _) = Invoke("journal", JournalFolder);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(before, Snapshot());
        Assert.Contains($"damage    {Path.GetFileName(segments[1])} at byte", output, StringComparison.Ordinal);
        Assert.True(output.Contains($"torn      4 bytes at the end of {Path.GetFileName(segments[^1])}", StringComparison.Ordinal), output);
    }

    [Fact]
    public void A_missing_folder_or_a_file_instead_of_a_folder_exits_2_with_one_sentence()
    {
        string missing = Path.Combine(_directory, "nowhere");
        (int exit, string output, string error) = Invoke("journal", missing, "--export", Path.Combine(_directory, "export.bin"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"edgelstm: the journal folder '{missing}' cannot be used: the folder '{missing}' does not exist.", error.Trim());
        Assert.Empty(output);
        Assert.False(File.Exists(Path.Combine(_directory, "export.bin")));

        string file = Path.Combine(_directory, "file");
        File.WriteAllText(file, "x");
        (exit, _, error) = Invoke("journal", file);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"edgelstm: the journal folder '{file}' cannot be used: '{file}' is a file, not a folder.", error.Trim());
    }
}
