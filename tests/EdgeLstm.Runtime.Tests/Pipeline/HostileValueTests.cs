using System.Globalization;
using System.Text;
using EdgeLstm.Core;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>
/// Values that are each plausible but hostile: a reading the float range cannot hold after scaling, and config
/// numbers that would overflow or silently switch something off. Each is refused by the validator with the field named,
/// or runs to the end with what happened counted.
/// </summary>
public class HostileValueTests
{
    private static (int Exit, List<DecodeResult> Frames, string Log) Run(string config)
    {
        using var stdout = new MemoryStream();
        var log = new StringWriter();
        int exit = RunCommand.Run(new RunOptions(config, null, null, null, OutputFormat.Msgpack), stdout, log, CancellationToken.None);
        stdout.Position = 0;
        var frames = FrameStreamReader.ReadAllAsync(stdout, cancellationToken: CancellationToken.None).ToBlockingEnumerable(CancellationToken.None).ToList();
        return (exit, frames, log.ToString());
    }

    private static (int Exit, string Error) Validate(TestBoard board, string from, string to)
    {
        File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath).Replace(from, to, StringComparison.Ordinal));
        var error = new StringWriter();
        int exit = ValidateCommand.Run(board.ConfigPath, null, new StringWriter(), error);
        return (exit, error.ToString());
    }

    [Fact]
    public void A_reading_that_overflows_float_after_scaling_is_an_invalid_value_held_then_bad_and_counted()
    {
        // 200 rows; rows 50–149 of 'current' are 3e38, which × scale 10 is beyond float's range.
        var csv = new StringBuilder("t;current;pressure\n");
        for (int row = 0; row < 200; row++)
            csv.Append(CultureInfo.InvariantCulture, $"{row * 0.01:0.00};{(row is >= 50 and < 150 ? "3e38" : "1.23")};2.6\n");
        using var board = new TestBoard(replayCsv: csv.ToString());
        File.WriteAllText(board.ConfigPath, File.ReadAllText(board.ConfigPath)
            .Replace("""{ "name": "current", "unit": "A" }""", """{ "name": "current", "unit": "A", "scale": 10 }""", StringComparison.Ordinal));

        var (exit, frames, log) = Run(board.ConfigPath);

        Assert.True(exit == ExitCodes.Success, log);
        List<PredictionFrame> predictions = [.. frames.Where(f => f.FrameType == FrameType.Prediction).Select(f => f.Prediction)];
        Assert.Equal(200, predictions.Count);
        Assert.All(predictions.Take(50), p => Assert.False(p.IsDegraded));
        Assert.All(predictions.Skip(50).Take(100), p => Assert.True(p.IsDegraded));
        Assert.All(predictions.Skip(150), p => Assert.False(p.IsDegraded));
        Assert.All(predictions, p => Assert.False(p.Status.HasFlag(PredictionStatus.ModelReset)));
        HealthFrame last = frames.Last(f => f.FrameType == FrameType.Health).Health;
        Assert.Equal([100u, 0u], last.ChannelReadErrors.ToArray());
        Assert.Equal([0u, 0u], last.ChannelNonFinite.ToArray());
    }

    [Theory]
    [InlineData("\"scale\": 10.0", "\"scale\": 1e39", "$.devices[0].channels[0].scale", "1E+39")]
    [InlineData("\"scale\": 10.0", "\"scale\": 1e-20", "$.devices[0].channels[0].scale", "1E-20")]
    [InlineData("\"scale\": 2.5 }", "\"scale\": 2.5, \"offset\": -1e39 }", "$.devices[0].channels[1].offset", "-1E+39")]
    [InlineData("\"scale\": 2.5 }", "\"scale\": 2.5, \"max\": 1e300 }", "$.devices[0].channels[1].max", "1E+300")]
    [InlineData("\"intervalSeconds\": 2", "\"intervalSeconds\": 1e12", "$.health.intervalSeconds", "1e+12")]
    [InlineData("\"intervalSeconds\": 2", "\"intervalSeconds\": 1e-7", "$.health.intervalSeconds", "1e-07")]
    [InlineData("\"path\": \"model.elstm\"", "\"path\": \"model\\u0000.elstm\"", "$.model.path", "U+0000")]
    [InlineData("\"name\": \"test-board\"", "\"name\": \"test\\nedgelstm: forged line\"", "$.board.name", "U+000A")]
    public void A_config_number_that_would_overflow_or_switch_something_off_is_refused_with_its_field(string from, string to, string path, string shown)
    {
        using var board = new TestBoard();
        var (exit, error) = Validate(board, from, to);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.True(error.Contains(path, StringComparison.Ordinal) && error.Contains(shown, StringComparison.OrdinalIgnoreCase), error);
    }
}
