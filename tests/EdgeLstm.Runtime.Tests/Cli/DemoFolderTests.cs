using System.Diagnostics;
using System.Runtime.Versioning;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary>
/// The embedded demo's files go to a folder private to the user: <c>$XDG_RUNTIME_DIR/edgelstm-demo</c> or the user's
/// cache, made with mode 0700; an existing folder that others could have prepared is refused.
/// </summary>
[SupportedOSPlatform("linux")] // uids, file modes and statx: the board's OS
public sealed class DemoFolderTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-demo-folder-").FullName;
    private readonly uint _user = PrivateFolder.CurrentUser;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private string Folder(string name, UnixFileMode mode)
    {
        string path = Path.Combine(_directory, name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void Xdg_runtime_dir_is_chosen_when_it_is_private()
    {
        string runtime = Folder("run-user", Private);
        Assert.Equal(Path.Combine(runtime, "edgelstm-demo"), EmbeddedDemo.ChooseFolder(Environment(("XDG_RUNTIME_DIR", runtime), ("HOME", _directory)), _user));
    }

    [Fact]
    public void The_cache_is_chosen_without_a_usable_xdg_runtime_dir()
    {
        string shared = Folder("shared", Private | UnixFileMode.GroupWrite);
        string cache = Path.Combine(_directory, ".cache", "edgelstm", "demo");
        Assert.Equal(cache, EmbeddedDemo.ChooseFolder(Environment(("HOME", _directory)), _user));
        Assert.Equal(cache, EmbeddedDemo.ChooseFolder(Environment(("XDG_RUNTIME_DIR", "run/user/1000"), ("HOME", _directory)), _user));
        Assert.Equal(cache, EmbeddedDemo.ChooseFolder(Environment(("XDG_RUNTIME_DIR", shared), ("HOME", _directory)), _user));
        Assert.Equal(cache, EmbeddedDemo.ChooseFolder(Environment(("XDG_RUNTIME_DIR", Path.Combine(_directory, "missing")), ("HOME", _directory)), _user));
        Assert.Equal(Path.Combine(shared, "edgelstm", "demo"), EmbeddedDemo.ChooseFolder(Environment(("XDG_CACHE_HOME", shared), ("HOME", _directory)), _user));
        Assert.Throws<DemoFolderException>(() => EmbeddedDemo.ChooseFolder(Environment(), _user));
    }

    [Fact]
    public void The_folder_is_made_with_mode_0700_and_holds_the_demo()
    {
        string folder = Path.Combine(_directory, ".cache", "edgelstm", "demo");
        string config = EmbeddedDemo.ExtractConfig(folder, _user);
        Assert.Equal(Path.Combine(folder, "demo-board.json"), config);
        Assert.Equal(Private, File.GetUnixFileMode(folder));
        Assert.Equal(["demo-board.json", "demo-model.elstm", "skab-excerpt.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(config, EmbeddedDemo.ExtractConfig(folder, _user)); // and is used again as it is
    }

    [Fact]
    public void A_folder_that_is_a_symbolic_link_is_refused()
    {
        string target = Folder("elsewhere", Private);
        string link = Path.Combine(_directory, "demo");
        File.CreateSymbolicLink(link, target);
        var refusal = Assert.Throws<DemoFolderException>(() => EmbeddedDemo.ExtractConfig(link, _user));
        Assert.Equal($"refusing to write its files into '{link}': it is a symbolic link", refusal.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite, "720")]
    [InlineData(UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, "703")]
    public void A_folder_group_or_others_may_write_to_is_refused(UnixFileMode extra, string mode)
    {
        string folder = Folder("demo", Private | extra);
        var refusal = Assert.Throws<DemoFolderException>(() => EmbeddedDemo.ExtractConfig(folder, _user));
        Assert.Equal($"refusing to write its files into '{folder}': group or others may write to it (mode {mode})", refusal.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_folder_of_another_user_is_refused()
    {
        // Unprivileged, a folder of another user cannot be made: ask for this folder on behalf of another uid instead.
        string folder = Folder("demo", Private);
        var refusal = Assert.Throws<DemoFolderException>(() => EmbeddedDemo.ExtractConfig(folder, _user + 1));
        Assert.Equal($"refusing to write its files into '{folder}': it belongs to uid {_user}, not to this user (uid {_user + 1})", refusal.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));

        // As root (CI), the real case too: a folder chown'ed to nobody.
        if (_user != 0) return;
        using (Process chown = Process.Start("chown", ["65534", folder])) chown.WaitForExit();
        refusal = Assert.Throws<DemoFolderException>(() => EmbeddedDemo.ExtractConfig(folder, _user));
        Assert.Equal($"refusing to write its files into '{folder}': it belongs to uid 65534, not to this user (uid 0)", refusal.Message);
    }

    [Fact]
    public void A_planted_symbolic_link_in_the_folder_is_replaced_not_written_through()
    {
        string folder = Folder("demo", Private);
        string victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(Path.Combine(folder, "demo-model.elstm"), victim);
        EmbeddedDemo.ExtractConfig(folder, _user);
        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(folder, "demo-model.elstm")).LinkTarget);
    }
}
