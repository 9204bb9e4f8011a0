using System.Runtime.Versioning;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// The published Native AOT binary (statx and geteuid from libc, trimmed) puts the embedded demo in a private folder
/// and refuses one that is not private with exit 2 and one sentence.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedDemoFolderTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("edgelstm-demo-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private ProcessResult RunDemo(string? runtimeDir) => PublishedRuntime.Run(["run"], environment: new Dictionary<string, string?>
    {
        ["HOME"] = _home, ["XDG_RUNTIME_DIR"] = runtimeDir, ["XDG_CACHE_HOME"] = null,
    });

    [Fact]
    public void The_demo_runs_from_a_new_mode_0700_folder_in_the_cache()
    {
        ProcessResult result = RunDemo(runtimeDir: null);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Error}");
        string folder = Path.Combine(_home, ".cache", "edgelstm", "demo");
        Assert.True(File.Exists(Path.Combine(folder, "demo-model.elstm")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void The_demo_runs_from_xdg_runtime_dir_when_it_is_private()
    {
        string runtime = Directory.CreateDirectory(Path.Combine(_home, "run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        ProcessResult result = RunDemo(runtime);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Error}");
        Assert.True(File.Exists(Path.Combine(runtime, "edgelstm-demo", "demo-model.elstm")));
        Assert.False(Directory.Exists(Path.Combine(_home, ".cache")));
    }

    [Fact]
    public void A_demo_folder_that_is_a_symbolic_link_exits_2_with_one_sentence()
    {
        string folder = Path.Combine(_home, ".cache", "edgelstm", "demo");
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        File.CreateSymbolicLink(folder, Directory.CreateTempSubdirectory("edgelstm-demo-elsewhere-").FullName);
        ProcessResult result = RunDemo(runtimeDir: null);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"the embedded demo board: refusing to write its files into '{folder}': it is a symbolic link", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(new DirectoryInfo(folder).LinkTarget!));
        Directory.Delete(new DirectoryInfo(folder).LinkTarget!);
    }
}
