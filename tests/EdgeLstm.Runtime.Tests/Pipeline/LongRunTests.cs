using EdgeLstm.Core;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>
/// What only shows after weeks: the 32-bit millisecond offset of every frame from its Hello's epoch wraps after
/// 49.7 days. A board sampled once a minute on the fast clock lives through 120 days in a second.
/// </summary>
public class LongRunTests
{
    [Fact]
    public void A_board_runs_across_the_32_bit_millisecond_wrap_and_every_frame_keeps_its_true_time()
    {
        const double rateHz = 1.0 / 60;
        using var board = new TestBoard(sampleRate: (float)rateHz);
        File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath)
            .Replace("\"rateHz\": 100", $"\"rateHz\": {rateHz.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("\"intervalSeconds\": 2", "\"intervalSeconds\": 3600", StringComparison.Ordinal));
        using var stdout = new MemoryStream();
        var log = new StringWriter();
        TimeSpan days120 = TimeSpan.FromDays(120);

        int exit = RunCommand.Run(new RunOptions(board.ConfigPath, null, days120, null, OutputFormat.Msgpack), stdout, log, CancellationToken.None);

        Assert.True(exit == ExitCodes.Success, log.ToString());
        stdout.Position = 0;
        List<DecodeResult> frames = [.. FrameStreamReader.ReadAllAsync(stdout, cancellationToken: CancellationToken.None).ToBlockingEnumerable(CancellationToken.None)];
        Assert.All(frames, f => Assert.True(f.IsFrame, f.ToString()));

        // Two Hellos at least (120 days > 2 × 48.7): one session, epochs moving forward.
        List<HelloFrame> hellos = [.. frames.Where(f => f.FrameType == FrameType.Hello).Select(f => f.Hello)];
        Assert.True(hellos.Count >= 3, $"{hellos.Count} Hellos in 120 days");
        Assert.All(hellos, h => Assert.Equal(hellos[0].SessionId, h.SessionId));
        Assert.True(hellos.Zip(hellos.Skip(1)).All(p => p.Second.EpochUnixMs > p.First.EpochUnixMs));

        // Every Prediction's absolute time (its Hello's epoch + its offset) is the sample's: one minute apart, no jump.
        ulong epoch = 0, previous = 0;
        long predictions = 0;
        foreach (DecodeResult frame in frames)
        {
            if (frame.FrameType == FrameType.Hello)
            {
                epoch = frame.Hello.EpochUnixMs;
                continue;
            }
            if (frame.FrameType != FrameType.Prediction) continue;
            ulong absolute = epoch + frame.Prediction.TimeMs;
            if (predictions++ > 0) Assert.Equal(60_000ul, absolute - previous);
            previous = absolute;
        }
        Assert.Equal((long)(days120.TotalMinutes), predictions);
    }
}
