using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Tests.Devices;

public class CsvRecordingTests
{
    [Fact]
    public void Loads_skab_excerpt_with_crlf()
    {
        string path = Fixtures.Path("skab/valve1-0-head.csv");
        Assert.Contains("\r\n", File.ReadAllText(path), StringComparison.Ordinal);
        var rec = CsvRecording.Load(path);
        Assert.Equal(40, rec.RowCount);
        Assert.Equal(["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS", "anomaly", "changepoint"], rec.ColumnNames);
        Assert.Equal(0.0265878f, rec[0, 0]);
        Assert.Equal(1.3302f, rec[0, rec.IndexOf("Current")]);
        Assert.Equal(1.0, rec.TimesSeconds[1]);
        Assert.Equal(1.0, rec.MedianIntervalSeconds);
    }

    [Fact]
    public void Loads_skab_excerpt_with_lf_and_a_247_second_gap()
    {
        string path = Fixtures.Path("skab/other-2-gap.csv");
        Assert.DoesNotContain("\r", File.ReadAllText(path), StringComparison.Ordinal);
        var rec = CsvRecording.Load(path);
        Assert.Equal(40, rec.RowCount);
        double maxGap = Enumerable.Range(1, rec.RowCount - 1).Max(i => rec.TimesSeconds[i] - rec.TimesSeconds[i - 1]);
        Assert.Equal(247.0, maxGap);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Comma_separated_numeric_time_with_missing_values(string newline)
    {
        string text = string.Join(newline, "t,a,b", "10.0,1.5,", "10.5,NaN,2", "11.0,-3e-2,4", "");
        var rec = CsvRecording.Parse("mem.csv", text);
        Assert.Equal(3, rec.RowCount);
        Assert.Equal([0.0, 0.5, 1.0], rec.TimesSeconds);
        Assert.True(float.IsNaN(rec[0, 1]));
        Assert.True(float.IsNaN(rec[1, 0]));
        Assert.Equal(-0.03f, rec[2, 0]);
    }

    [Fact]
    public void Named_time_column_may_be_anywhere_and_utf8_bom_is_ignored()
    {
        var rec = CsvRecording.Parse("mem.csv", "\uFEFFa;when;b\n1;2020-01-01T00:00:00.5;2\n3;2020-01-01T00:00:01.5;4\n", timeColumn: "when");
        Assert.Equal(["a", "b"], rec.ColumnNames);
        Assert.Equal(1.0, rec.TimesSeconds[1], 9);
        Assert.Equal(4f, rec[1, 1]);
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "", "empty", ["bad.csv:1:1: the file is empty", "Hint:"] },
        { "datetime\n1\n", "single column", ["bad.csv:1:1: the header has a single column"] },
        { "t;a;b\n0;1\n", "field count", ["bad.csv:2:1: expected 3 fields like the header, found 2", "missing or extra ';'"] },
        { "t;a\n0;1,5\n", "decimal comma", ["bad.csv:2:2: '1,5' in column 'a' is not a finite number", "'.' as the decimal point"] },
        { "t;a\n0;inf\n", "infinity", ["bad.csv:2:2: 'inf' in column 'a' is not a finite number"] },
        { "t;a\nyesterday;1\n", "bad time", ["bad.csv:2:1: 'yesterday' is not a time", "yyyy-MM-dd HH:mm:ss"] },
        { "t;a\n5;1\n4;1\n", "backwards", ["bad.csv:3:1: time goes backwards (-1 s)", "sort the file by time"] },
        { "t;a;a\n0;1;2\n", "duplicate", ["bad.csv:1:3: column name 'a' appears twice"] },
        { "t;;b\n0;1;2\n", "nameless", ["bad.csv:1:2: column 2 has no name"] },
        { "t;a\n", "no rows", ["bad.csv:2:1: the file has a header but no data rows"] },
        { "t;a\n2020-01-01 00:00:00;1\n3;2\n", "mixed time kinds", ["bad.csv:3:1: '3' is not a time"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_names_file_line_column_and_hint(string text, string because, string[] expectedParts)
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvRecording.Parse("bad.csv", text));
        foreach (string part in expectedParts)
        {
            Assert.True(ex.Message.Contains(part, StringComparison.Ordinal), $"{because}: '{ex.Message}' lacks '{part}'");
        }

        Assert.Equal("bad.csv", ex.Path);
    }

    [Fact]
    public void Every_problem_is_listed_not_just_the_first()
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvRecording.Parse("bad.csv", "t;a\n0;x\n1;2;3\n2;y\n"));
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("bad.csv:2:2:", ex.Problems[0], StringComparison.Ordinal);
        Assert.Contains("bad.csv:3:1:", ex.Problems[1], StringComparison.Ordinal);
        Assert.Contains("bad.csv:4:2:", ex.Problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_time_column_lists_the_columns()
    {
        var ex = Assert.Throws<CsvFormatException>(() => CsvRecording.Parse("bad.csv", "time;a\n0;1\n", timeColumn: "datetime"));
        Assert.Contains("no time column 'datetime'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'time', 'a'", ex.Message, StringComparison.Ordinal);
    }
}
