using System.Buffers.Binary;
using EdgeLstm.Collector.Storage.Sqlite;
using EdgeLstm.Core;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Cli;

/// <summary><c>edgelstm-collector plot</c>: a stored run drawn as a PNG, and the inputs it refuses.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly TempDatabase _database = new();

    public PlotCommandTests()
    {
        // Ten minutes of a board: a prediction every second with a rising and falling anomaly score, a Health frame
        // every 10 s with growing read errors, and one alarm raised and cleared.
        var frames = new List<IWireFrame> { Frames.Hello(0) };
        ulong sequence = 1;
        for (uint second = 0; second < 600; second++)
        {
            byte level = (byte)(60 + 60 * Math.Sin(second / 40.0));
            frames.Add(new PredictionFrame
            {
                Sequence = sequence++, TimeMs = second * 1000, Probabilities = new byte[] { (byte)(255 - level * 2), (byte)(level * 2) },
                AnomalyLevel = level, Values = ReadOnlyMemory<float>.Empty,
            });
            if (second % 10 == 0)
            {
                frames.Add(new HealthFrame
                {
                    Sequence = sequence++, TimeMs = second * 1000, UptimeSeconds = second, SamplesRead = second * 100UL,
                    ChannelReadErrors = new uint[] { second / 100, second / 50 }, ChannelReadTimeouts = new uint[] { 0, 0 }, ChannelNonFinite = new uint[] { 0, 0 },
                    InferenceP50Us = 800 + second, InferenceP99Us = 2000 + 2 * second,
                });
            }
            if (second is 100 or 180) frames.Add(new AlarmFrame { Sequence = sequence++, TimeMs = second * 1000, Raised = second == 100, ClassIndex = 1, Score = 0.9f, DurationMs = 80_000 });
        }
        using var store = new SqliteFrameStore(_database.Path);
        store.Commit(Frames.Received("pump-07", [.. frames]));
    }

    public void Dispose() => _database.Dispose();

    private string Png(string name) => Path.Combine(_database.Folder, name);

    [Fact]
    public void Plot_writes_a_PNG_of_the_requested_size_with_the_charts_drawn()
    {
        string path = Png("pump.png");
        (int exit, string output, string error) = CollectorCliTests.Invoke("plot", "--store", _database.Path, "--device", "pump-07", "-o", path, "--width", "900", "--height", "500");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("600 predictions, 60 health frames", output, StringComparison.Ordinal);
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal((900, 500), Size(png));
        string blank = Png("blank.png");
        new ScottPlot.Plot().SavePng(blank, 900, 500);
        Assert.True(png.Length > 2 * new FileInfo(blank).Length, $"{png.Length} bytes, an empty plot {new FileInfo(blank).Length}");
    }

    [Fact]
    public void Plot_defaults_to_1200_by_600_and_takes_a_range()
    {
        string path = Png("range.png");
        (int exit, string output, string error) = CollectorCliTests.Invoke("plot", "--store", _database.Path, "--device", "pump-07", "--output", path,
            "--from", "2026-11-28T06:02:00Z", "--to", "2026-11-28T06:04:00Z");

        Assert.True(exit == ExitCodes.Success, error);
        Assert.Contains("120 predictions", output, StringComparison.Ordinal);
        Assert.Equal((1200, 600), Size(File.ReadAllBytes(path)));
    }

    [Theory]
    [InlineData("no device pump-99 in the database.", "--device", "pump-99")]
    [InlineData("no predictions or health of pump-07 between 2027-01-01T00:00:00.000Z and now.", "--from", "2027-01-01T00:00:00Z")]
    [InlineData("--from and --to take ISO-8601 times, e.g. 2026-11-28T06:00:00Z.", "--from", "yesterday")]
    [InlineData("--from must be before --to.", "--from", "2026-11-28T07:00:00Z", "--to", "2026-11-28T06:00:00Z")]
    [InlineData("--width and --height take 100 to 10000 pixels.", "--width", "0")]
    public void Plot_refuses_bad_input_with_one_line_and_exit_code_2(string sentence, params string[] args)
    {
        string path = Png("refused.png");
        string[] device = args.Contains("--device") ? [] : ["--device", "pump-07"];
        (int exit, _, string error) = CollectorCliTests.Invoke(["plot", "--store", _database.Path, "-o", path, .. device, .. args]);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal($"edgelstm-collector: {sentence}\n", error.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Plot_refuses_an_output_path_it_cannot_write()
    {
        string path = Path.Combine(_database.Folder, "no-such-folder", "pump.png");
        (int exit, _, string error) = CollectorCliTests.Invoke("plot", "--store", _database.Path, "--device", "pump-07", "-o", path);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.StartsWith($"edgelstm-collector: cannot write {path}: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Plot_has_help_and_needs_a_device_and_an_output()
    {
        (int exit, string help, _) = CollectorCliTests.Invoke("plot", "--help");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("--output", help, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, CollectorCliTests.Invoke("plot", "--store", _database.Path, "--device", "pump-07").Exit);
        Assert.Equal(ExitCodes.BadInput, CollectorCliTests.Invoke("plot", "--store", _database.Path, "-o", Png("x.png")).Exit);
    }

    /// <summary>Width and height from the PNG's IHDR chunk (bytes 16–23, big-endian), after checking the signature.</summary>
    private static (int Width, int Height) Size(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(PngSignature), "not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
