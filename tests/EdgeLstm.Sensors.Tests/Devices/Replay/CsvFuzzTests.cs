using CsCheck;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Tests.Devices.Replay;

/// <summary>
/// Text-level mutations of every committed CSV (the demo excerpt, the fixtures, the SKAB recordings' heads):
/// each parses or is refused with a <see cref="CsvFormatException"/>; what parses replays, looped, under every
/// timing without an exception, a non-finite time or a hang.
/// </summary>
public class CsvFuzzTests
{
    private const int Cases = 10_000;

    private static readonly string[] Tokens = [";", ",", "\n", "\r\n", "\r", "NaN", "1e999", "-1e999", "\"", "\uFEFF", "2020-02-30 25:61:61", "-", "", "0", "\0"];

    /// <summary>The first 60 lines of every committed CSV: enough for every shape, small enough for 10,000 cases.</summary>
    private static readonly string[] Texts =
    [
        .. Directory.GetFiles(Repository.Root, "*.csv", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => string.Join('\n', File.ReadLines(f).Take(60))),
    ];

    private static string Mutate(string text, int kind, int at, int length, int token) =>
        TextMutations.TryApply(ref text, kind, ref at, ref length, Tokens[token % Tokens.Length])
            ? text
            : text.Replace(Tokens[token % 3], Tokens[(token + 1) % Tokens.Length], StringComparison.Ordinal);

    [Fact]
    public void Every_mutated_recording_parses_and_replays_or_is_refused_with_a_format_error()
    {
        Assert.True(Texts.Length >= 10, $"found only {Texts.Length} CSV files");
        int refused = 0;
        Gen.Select(Gen.Int[0, Texts.Length - 1], Gen.Int[0, 4].Array[1, 4], Gen.Int[0, int.MaxValue].Array[4], Gen.Int[0, 200], Gen.Int[0, 100])
            .Sample((file, kinds, positions, length, token) =>
            {
                string text = Texts[file];
                for (int i = 0; i < kinds.Length; i++) text = Mutate(text, kinds[i], positions[i], length, token + i);
                CsvRecording recording;
                try
                {
                    recording = CsvRecording.Parse("fuzz.csv", text);
                }
                catch (CsvFormatException e)
                {
                    Assert.Contains("fuzz.csv", e.Message);
                    Interlocked.Increment(ref refused);
                    return;
                }

                Assert.All(recording.TimesSeconds, t => Assert.True(double.IsFinite(t), $"time {t}"));
                if (recording.ColumnNames.Count == 0) return;
                var value = new float[1];
                foreach (ReplayTiming timing in Enum.GetValues<ReplayTiming>())
                {
                    CsvReplayDevice device;
                    try
                    {
                        device = new CsvReplayDevice("fuzz", recording, [0], timing, loop: true);
                    }
                    catch (ArgumentException e) when (e.Message.Contains("fuzz.csv", StringComparison.Ordinal))
                    {
                        continue; // times that do not increase: refused for recorded timing (the config validator says so first)
                    }
                    double period = double.IsFinite(recording.MedianIntervalSeconds) && recording.MedianIntervalSeconds > 0 ? recording.MedianIntervalSeconds : 1;
                    for (int sample = 0; sample < 3 * recording.RowCount + 3; sample++)
                        device.Read((long)(sample * period * 1e9), value);
                }
            }, iter: Cases, threads: 2);
        Assert.True(refused > Cases / 20, $"only {refused} of {Cases} mutated recordings were refused");
    }
}
