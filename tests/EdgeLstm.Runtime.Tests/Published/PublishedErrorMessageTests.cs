using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// Every file-system failure a person can meet, run through the published Native AOT binary, whose framework
/// messages are resource keys (<c>IO_PathNotFound_Path</c>): the runtime must word each one itself.
/// </summary>
[SupportedOSPlatform("linux")] // the board's OS: file modes, /dev/full and setpriv
public sealed partial class PublishedErrorMessageTests : IDisposable
{
    private readonly TestBoard _board = new();

    public void Dispose() => _board.Dispose();

    /// <summary>A framework resource key such as <c>IO_FileNotFound_FileName</c> or <c>UnauthorizedAccess_IODenied_Path</c>.</summary>
    [GeneratedRegex(@"\b[A-Z][A-Za-z]*_[A-Za-z]+_[A-Za-z_]+\b")]
    private static partial Regex ResourceKey();

    private static void AssertWords(ProcessResult result, int exitCode, string expected)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}:\n{result.Error}");
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResourceKey(), result.Error);
    }

    private string Board(string sinks)
    {
        string path = Path.Combine(_board.Directory, "sinks.json");
        File.WriteAllText(path, File.ReadAllText(_board.ConfigPath).Replace("""[ { "type": "stdout" } ]""", sinks, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public void A_missing_model()
    {
        string model = Path.Combine(_board.Directory, "pump.elstm");
        AssertWords(PublishedRuntime.Run(["run", "--model", model]), 2, $"model '{model}' cannot be read: the file does not exist");
        AssertWords(PublishedRuntime.Run(["info", model]), 2, $"cannot read model '{model}': the file does not exist");
    }

    [Fact]
    public void A_model_in_a_missing_folder()
    {
        string model = Path.Combine(_board.Directory, "models", "pump.elstm");
        AssertWords(PublishedRuntime.Run(["run", "--model", model]), 2, $"the folder '{Path.Combine(_board.Directory, "models")}' does not exist");
    }

    [Fact]
    public void A_folder_given_as_the_model_or_the_config()
    {
        AssertWords(PublishedRuntime.Run(["run", "--config", _board.ConfigPath, "--model", _board.Directory]), 2, $"model '{_board.Directory}' cannot be read: it is a folder, not a file");
        AssertWords(PublishedRuntime.Run(["validate", "--config", _board.Directory]), 2, $"the config file '{_board.Directory}' cannot be read: it is a folder, not a file");
    }

    [Fact]
    public void A_missing_config()
    {
        string config = Path.Combine(_board.Directory, "pump.json");
        AssertWords(PublishedRuntime.Run(["run", "--config", config]), 2, $"the config file '{config}' cannot be read: the file does not exist");
    }

    [Fact]
    public void A_model_the_user_may_not_read()
    {
        // The folder must let the other user in, so that the file itself is what is refused.
        File.SetUnixFileMode(_board.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_board.ModelPath, UnixFileMode.None);
        int? asUser = Environment.UserName == "root" ? 65534 : null; // nobody: root may read any file
        AssertWords(PublishedRuntime.Run(["info", _board.ModelPath], asUser), 2, $"cannot read model '{_board.ModelPath}': permission denied");
    }

    [Fact]
    public void A_full_disk_stops_the_file_sink_in_words_and_the_run_goes_on()
    {
        ProcessResult result = PublishedRuntime.Run(["run", "--config", Board("""[ { "type": "stdout" }, { "type": "file", "path": "/dev/full" } ]"""), "--duration", "10"]);
        AssertWords(result, 0, "file /dev/full: writing failed: the disk is full (no space left on the device)");
        Assert.Contains("ALARM RAISED", result.Output, StringComparison.Ordinal); // the other sink kept every frame
    }

    [Fact]
    public void A_file_sink_below_a_file()
    {
        string frames = Path.Combine(_board.ConfigPath, "frames.bin");
        AssertWords(PublishedRuntime.Run(["run", "--config", Board($$"""[ { "type": "file", "path": "{{frames}}" } ]""")]), 2, $"'{_board.ConfigPath}' is a file, not a folder");
    }

    [Fact]
    public void A_file_sink_that_is_a_folder()
    {
        AssertWords(PublishedRuntime.Run(["run", "--config", Board($$"""[ { "type": "file", "path": "{{_board.Directory}}" } ]""")]), 2, "cannot be opened for writing: it is a folder, not a file");
    }
}
