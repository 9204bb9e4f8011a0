using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>The board file's <c>journal</c> section, validated in the one pass with every other section.</summary>
public class JournalConfigTests
{
    private static string Board(string journal) =>
        $$"""{ "board": { "name": "b", "hardware": "raspberryPi4" }, "sampler": { "rateHz": 10 }, "devices": [ { "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ] } ], "journal": {{journal}} }""";

    [Fact]
    public void A_valid_section_resolves_its_path_from_the_config_folder_and_keeps_the_defaults()
    {
        string folder = Path.Combine(Path.GetTempPath(), "board-folder");
        RuntimeSections sections = RuntimeBoardFile.Parse(Board("""{ "path": "journal", "syncEveryFrames": 20 }"""), folder, RunOverrides.None).Sections;
        JournalOptions options = sections.Journal!.ToOptions(folder);
        Assert.Equal(Path.Combine(folder, "journal"), options.Path);
        Assert.Equal(64L << 20, options.MaxBytes);
        Assert.Equal(20, options.SyncEveryFrames);
        Assert.Equal(100, options.SyncIntervalMs);
        Assert.Equal(4L << 20, options.SegmentBytes); // maxBytes / 16

        JournalOptions absolute = RuntimeBoardFile.Parse(Board("""{ "path": "/var/lib/edgelstm/journal", "maxBytes": 65536 }"""), folder, RunOverrides.None).Sections.Journal!.ToOptions(folder);
        Assert.Equal("/var/lib/edgelstm/journal", absolute.Path);
        Assert.Equal(64L << 10, absolute.SegmentBytes); // clamped to 64 KiB

        Assert.Null(RuntimeBoardFile.Parse(Board("""{ "maxBytes": 1048576 }"""), folder, RunOverrides.None).Sections.Journal!.ToOptions(folder).Path); // RAM
        Assert.Null(JournalOptions.ForPath(null).Path);
        Assert.Equal(Path.GetFullPath("j"), JournalOptions.ForPath("j").Path);
    }

    [Fact]
    public void Every_problem_is_named_by_its_JSON_path()
    {
        var e = Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(
            Board("""{ "path": " ", "maxBytes": 1000, "syncEveryFrames": -1, "syncIntervalMs": -5 }"""), Repository.Root, RunOverrides.None, "test.json"));
        Assert.Equal(["$.journal.path", "$.journal.maxBytes", "$.journal.syncEveryFrames", "$.journal.syncIntervalMs"], e.Problems.Select(p => p.Path));
        Assert.All(e.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Hint)));
        Assert.Contains("at least 65536 bytes (64 KiB) and at most 1099511627776 (1 TiB); got 1000.", e.Problems[1].Message, StringComparison.Ordinal);

        ConfigProblem off = Assert.Single(Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(
            Board("""{ "syncEveryFrames": 0, "syncIntervalMs": 0 }"""), Repository.Root, RunOverrides.None)).Problems);
        Assert.Equal("$.journal", off.Path);
        Assert.Contains("would never be synced", off.Message, StringComparison.Ordinal);

        ConfigProblem huge = Assert.Single(Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(
            Board("""{ "maxBytes": 2199023255552 }"""), Repository.Root, RunOverrides.None)).Problems);
        Assert.Equal("$.journal.maxBytes", huge.Path);

        ConfigProblem unknown = Assert.Single(Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(
            Board("""{ "syncEvery": 3 }"""), Repository.Root, RunOverrides.None)).Problems);
        Assert.Equal("$.journal.syncEvery", unknown.Path);
    }
}
