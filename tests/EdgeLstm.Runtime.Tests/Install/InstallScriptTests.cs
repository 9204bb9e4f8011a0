using System.Runtime.Versioning;
using System.Text;
using EdgeLstm.Runtime.Tests.Published;

namespace EdgeLstm.Runtime.Tests.Install;

/// <summary>
/// The bundle's install.sh (firmware-config/install/install.sh) checks every file against SHA256SUMS before it copies
/// anything: each refusal is one line naming the file, exit 4, and an empty DESTDIR. Of the bundle's two builds it
/// installs one as opt/edgelstm/edgelstm: edgelstm-dotprod on a CPU whose cpuinfo lists asimddp, edgelstm otherwise.
/// </summary>
[SupportedOSPlatform("linux")] // sh, sha256sum and tar, as on the board
public sealed class InstallScriptTests : IDisposable
{
    private readonly Bundle _bundle = new();

    public void Dispose() => _bundle.Dispose();

    private void AssertRefused(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode == 4, $"exit {result.ExitCode}, expected 4:\n{result.Output}\n{result.Error}");
        Assert.Equal($"install.sh: {expected}; nothing was installed", result.Error.TrimEnd());
        Assert.Empty(_bundle.Installed());
    }

    [Fact]
    public void A_bundle_that_matches_its_sums_installs_under_DESTDIR()
    {
        ProcessResult result = _bundle.Install();
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Output}\n{result.Error}");
        Assert.Equal(InstalledFiles, _bundle.Installed().Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle.Folder, "model.elstm")), File.ReadAllBytes(Path.Combine(_bundle.Root, "opt/edgelstm/model.elstm")));
    }

    private static readonly string[] InstalledFiles =
        ["etc/edgelstm/board.json", "etc/edgelstm/recording.csv", "etc/systemd/system/edgelstm.service",
         "opt/edgelstm/README.md", "opt/edgelstm/edgelstm", "opt/edgelstm/model.elstm"];

    /// <summary>Installs on the CPU <paramref name="cpuinfo"/> describes and returns what install.sh printed.</summary>
    private string InstallOn(string? cpuinfo)
    {
        _bundle.OnCpu(cpuinfo);
        ProcessResult result = _bundle.Install();
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Output}\n{result.Error}");
        // One binary, under the one name, whichever build it is.
        Assert.Equal(InstalledFiles, _bundle.Installed().Order(StringComparer.Ordinal));
        return result.Output;
    }

    private void AssertInstalledBuild(string bundled, string other)
    {
        byte[] installed = File.ReadAllBytes(Path.Combine(_bundle.Root, "opt/edgelstm/edgelstm"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle.Folder, bundled)), installed);
        Assert.NotEqual(Encoding.UTF8.GetBytes(other), installed); // the stubs differ, so this tells the builds apart
    }

    [Fact]
    public void On_a_cpu_with_the_dot_product_instructions_the_dotprod_build_is_installed_as_edgelstm()
    {
        string output = InstallOn(Bundle.Pi5CpuInfo);
        AssertInstalledBuild("edgelstm-dotprod", other: Bundle.DefaultBuild);
        Assert.Contains(
            "install.sh: this CPU has the dot-product instructions (asimddp): installing the build for them (edgelstm-dotprod)\n",
            output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?> CpusWithoutDotProduct() => new()
    {
        { "Raspberry Pi 4 (Cortex-A72)", Bundle.Pi4CpuInfo },
        // x64 names its features "flags"; only an arm64 "Features" line counts.
        { "x64", "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 ssse3 avx2 asimddp\n" },
        // Every Features line must list it (arm64 Linux prints one system-wide list for every core; this is caution).
        { "one core of two without asimddp", "processor\t: 0\nFeatures\t: fp asimd asimddp\n\nprocessor\t: 1\nFeatures\t: fp asimd\n" },
        { "a feature that only contains the name", "processor\t: 0\nFeatures\t: fp asimd asimddpx xasimddp\n" },
        { "empty", "" },
        { "no such file", null },
    };

    [Theory]
    [MemberData(nameof(CpusWithoutDotProduct))]
    public void On_a_cpu_without_the_dot_product_instructions_the_default_build_is_installed(string cpu, string? cpuinfo)
    {
        string output = InstallOn(cpuinfo);
        AssertInstalledBuild("edgelstm", other: Bundle.DotProdBuild);
        string said = $"install.sh: this CPU lacks the dot-product instructions (no asimddp in {_bundle.CpuInfo}): installing the armv8-a build (edgelstm)\n";
        Assert.True(output.Contains(said, StringComparison.Ordinal), $"{cpu}: install.sh said\n{output}");
    }

    [Fact]
    public void A_bundle_without_the_dotprod_build_installs_edgelstm_as_before_even_on_a_cpu_with_the_dot_product_instructions()
    {
        File.Delete(Path.Combine(_bundle.Folder, "edgelstm-dotprod"));
        _bundle.WriteSums();
        string output = InstallOn(Bundle.Pi5CpuInfo);
        AssertInstalledBuild("edgelstm", other: Bundle.DotProdBuild);
        Assert.DoesNotContain("dot-product", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_dotprod_build_is_refused_even_on_a_cpu_without_the_dot_product_instructions()
    {
        // The sums are checked first, so a build install.sh would not pick is refused all the same.
        _bundle.OnCpu(Bundle.Pi4CpuInfo);
        File.AppendAllText(Path.Combine(_bundle.Folder, "edgelstm-dotprod"), "# changed after the build\n");
        ProcessResult result = _bundle.Install();
        AssertRefused(result, "edgelstm-dotprod does not match its SHA-256 in SHA256SUMS");
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_tampered_file_is_refused_and_nothing_is_installed()
    {
        string model = Path.Combine(_bundle.Folder, "model.elstm");
        byte[] bytes = File.ReadAllBytes(model);
        bytes[17] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        AssertRefused(_bundle.Install(), "model.elstm does not match its SHA-256 in SHA256SUMS");
    }

    [Fact]
    public void A_missing_file_is_refused_and_nothing_is_installed()
    {
        File.Delete(Path.Combine(_bundle.Folder, "board.json"));
        AssertRefused(_bundle.Install(), "board.json is listed in SHA256SUMS but missing from the bundle");
    }

    [Theory]
    [InlineData("libextra.so")]  // install.sh would copy any *.so into /opt/edgelstm
    [InlineData("planted.csv")]  // and any *.csv into /etc/edgelstm
    [InlineData(".hidden")]
    public void A_file_not_listed_in_the_sums_is_refused_and_nothing_is_installed(string name)
    {
        File.WriteAllText(Path.Combine(_bundle.Folder, name), "not built here\n");
        AssertRefused(_bundle.Install(), $"{name} is in the bundle but not listed in SHA256SUMS");
    }

    [Fact]
    public void A_bundle_without_sums_is_refused_and_nothing_is_installed()
    {
        File.Delete(Path.Combine(_bundle.Folder, "SHA256SUMS"));
        AssertRefused(_bundle.Install(), "SHA256SUMS is missing from the bundle");
    }

    [Fact]
    public void Malformed_sums_are_refused_and_nothing_is_installed()
    {
        File.AppendAllText(Path.Combine(_bundle.Folder, "SHA256SUMS"), "not a checksum line\n");
        ProcessResult result = _bundle.Install();
        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("install.sh: SHA256SUMS is malformed", result.Error, StringComparison.Ordinal);
        Assert.Empty(_bundle.Installed());
    }

    [Fact]
    public void Receive_installs_from_a_private_folder_in_the_home_and_removes_it()
    {
        ProcessResult result = _bundle.Receive(sha256 => sha256);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.Output}\n{result.Error}");
        Assert.Contains("opt/edgelstm/edgelstm", _bundle.Installed());
        string[] saw = _bundle.SudoSaw()!.Split(' ');
        Assert.StartsWith(Path.Combine(_bundle.Home, ".edgelstm-install."), saw[0], StringComparison.Ordinal);
        Assert.Equal("700", saw[1]);
        Assert.Empty(Directory.GetFileSystemEntries(_bundle.Home));
    }

    [Fact]
    public void Receive_refuses_a_tarball_whose_sha256_differs_from_the_built_one_and_removes_its_folder()
    {
        ProcessResult result = _bundle.Receive(sha256 => new string('0', 64));
        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"the tarball arrived with SHA-256 ", result.Error, StringComparison.Ordinal);
        Assert.Contains($"not {new string('0', 64)} as built; nothing was installed", result.Error, StringComparison.Ordinal);
        Assert.Null(_bundle.SudoSaw());
        Assert.Empty(_bundle.Installed());
        Assert.Empty(Directory.GetFileSystemEntries(_bundle.Home));
    }
}
