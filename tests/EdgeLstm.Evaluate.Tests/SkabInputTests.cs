using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Tests;

public sealed class SkabInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evaluate-tests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Labels_come_from_the_anomaly_column_whatever_its_position_and_line_endings()
    {
        string csv = Path.Combine(_dir, "1.csv");
        File.WriteAllText(csv, "datetime;x;anomaly;changepoint\r\n2020-01-01 00:00:00;1.5;0.0;0.0\r\n2020-01-01 00:00:01;2;1.0;1.0\r\n2020-01-01 00:00:02;2;1;0\r\n");

        Assert.Equal([false, true, true], LabelReader.ReadAnomaly(csv));
    }

    [Fact]
    public void Discover_lists_numbered_files_per_group_in_number_order()
    {
        foreach (string group in SkabDataset.Groups)
        {
            Directory.CreateDirectory(Path.Combine(_dir, group));
        }

        foreach (string name in new[] { "valve1/10.csv", "valve1/2.csv", "other/1.csv", "valve2/notes.csv" })
        {
            File.WriteAllText(Path.Combine(_dir, name), "");
        }

        Assert.Equal(["valve1/2", "valve1/10", "other/1"], SkabDataset.Discover(_dir).Select(r => r.Name));
    }

    [Fact]
    public void A_missing_dataset_folder_is_a_one_line_error()
    {
        var ex = Assert.Throws<EvaluationException>(() => SkabDataset.Discover(Path.Combine(_dir, "nope")));
        Assert.StartsWith("dataset folder not found", ex.Message);
    }

    [Fact]
    public void Cli_exits_2_on_a_missing_dataset_and_on_bad_arguments()
    {
        Assert.Equal(2, Program.Main(["skab", Path.Combine(_dir, "nope")]));
        Assert.Equal(2, Program.Main(["skab", _dir, "--precision", "int4"]));
    }
}
