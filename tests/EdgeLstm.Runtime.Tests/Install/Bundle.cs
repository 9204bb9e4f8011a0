using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using EdgeLstm.Runtime.Tests.Published;

namespace EdgeLstm.Runtime.Tests.Install;

/// <summary>
/// A board bundle as publish-arm64.ps1 lays it out, with the repository's real <c>install.sh</c> and stubs of the two
/// builds, <c>edgelstm</c> and <c>edgelstm-dotprod</c> (shell scripts that accept <c>validate</c>, each with its own
/// contents), in a throw-away folder: <see cref="Folder"/> is the bundle, <see cref="Root"/> the <c>DESTDIR</c> it
/// installs into, <see cref="Home"/> a home for receive.sh. install.sh reads the CPU's features from
/// <see cref="CpuInfo"/> (<c>EDGELSTM_CPUINFO</c>), a Pi 4's unless a test calls <see cref="OnCpu"/>, never from the
/// machine running the tests.
/// </summary>
[SupportedOSPlatform("linux")] // sh, tar and file modes, as on the board
internal sealed class Bundle : IDisposable
{
    /// <summary>The stub of the default build (armv8-a + NEON).</summary>
    public const string DefaultBuild = "#!/bin/sh\n# stub of edgelstm, the armv8-a build\nexit 0\n";

    /// <summary>The stub of the build for the dot-product instructions.</summary>
    public const string DotProdBuild = "#!/bin/sh\n# stub of edgelstm-dotprod, the armv8.2-a + dotprod build\nexit 0\n";

    /// <summary>/proc/cpuinfo of a Raspberry Pi 4 (Cortex-A72: NEON, no dot product), as 64-bit Raspberry Pi OS shows it.</summary>
    public static readonly string Pi4CpuInfo = ArmCpuInfo("fp asimd evtstrm crc32 cpuid", "0x0", "0xd08", "3", "Raspberry Pi 4 Model B Rev 1.5");

    /// <summary>/proc/cpuinfo of a Raspberry Pi 5 (Cortex-A76: dot product, <c>asimddp</c>).</summary>
    public static readonly string Pi5CpuInfo = ArmCpuInfo(
        "fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp",
        "0x4", "0xd0b", "1", "Raspberry Pi 5 Model B Rev 1.0");

    private readonly string _scratch = Directory.CreateTempSubdirectory("edgelstm-install-").FullName;

    public Bundle()
    {
        Folder = Path.Combine(_scratch, "edgelstm");
        Root = Path.Combine(_scratch, "root");
        Home = Path.Combine(_scratch, "home");
        CpuInfo = Path.Combine(_scratch, "cpuinfo");
        foreach (string folder in new[] { Folder, Root, Home }) Directory.CreateDirectory(folder);
        OnCpu(Pi4CpuInfo);
        File.Copy(Repository.Path("firmware-config", "install", "install.sh"), Path.Combine(Folder, "install.sh"));
        File.WriteAllText(Path.Combine(Folder, "edgelstm"), DefaultBuild);
        File.WriteAllText(Path.Combine(Folder, "edgelstm-dotprod"), DotProdBuild);
        File.WriteAllBytes(Path.Combine(Folder, "model.elstm"), [.. Enumerable.Range(0, 64).Select(i => (byte)i)]);
        File.WriteAllText(Path.Combine(Folder, "board.json"), """{ "devices": [] }""");
        File.WriteAllText(Path.Combine(Folder, "recording.csv"), "current,pressure\n1,2\n");
        File.Copy(Repository.Path("firmware-config", "systemd", "edgelstm.service"), Path.Combine(Folder, "edgelstm.service"));
        File.WriteAllText(Path.Combine(Folder, "README.md"), "# edgelstm\n");
        WriteSums();
    }

    /// <summary>The bundle's folder (named <c>edgelstm</c>, as in the tarball).</summary>
    public string Folder { get; }

    /// <summary>The folder install.sh installs into (<c>DESTDIR</c>).</summary>
    public string Root { get; }

    /// <summary>The home folder receive.sh makes its private folder in.</summary>
    public string Home { get; }

    /// <summary>The file install.sh reads the CPU's features from (<c>EDGELSTM_CPUINFO</c>).</summary>
    public string CpuInfo { get; }

    /// <summary>Makes install.sh see a CPU whose /proc/cpuinfo reads <paramref name="cpuinfo"/> (null: no such file).</summary>
    public void OnCpu(string? cpuinfo)
    {
        if (cpuinfo is null) File.Delete(CpuInfo);
        else File.WriteAllText(CpuInfo, cpuinfo);
    }

    /// <summary>Writes <c>SHA256SUMS</c> for every file now in the bundle, as publish-arm64.ps1 does.</summary>
    public void WriteSums()
    {
        var sums = new StringBuilder();
        foreach (string file in Directory.GetFiles(Folder).Where(f => Path.GetFileName(f) != "SHA256SUMS").Order(StringComparer.Ordinal))
        {
            sums.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))).Append("  ").Append(Path.GetFileName(file)).Append('\n');
        }
        File.WriteAllText(Path.Combine(Folder, "SHA256SUMS"), sums.ToString());
    }

    /// <summary>Every file under <see cref="Root"/>, relative to it.</summary>
    public string[] Installed() => [.. Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f))];

    /// <summary>Runs the bundle's install.sh with <c>DESTDIR</c> = <see cref="Root"/>.</summary>
    public ProcessResult Install() => Run(new ProcessStartInfo("sh") { ArgumentList = { Path.Combine(Folder, "install.sh") } });

    /// <summary>
    /// Packs the bundle as publish-arm64.ps1 does and feeds it to firmware-config/install/receive.sh as -Target runs it
    /// on a board (<c>sh -c SCRIPT receive.sh SHA256</c>, tarball on stdin), with <see cref="Home"/> as HOME and a
    /// <c>sudo</c> that runs the command as it is and writes the folder it ran from and that folder's mode to <c>sudo.txt</c>.
    /// </summary>
    public ProcessResult Receive(Func<string, string> sha256)
    {
        string tarball = Path.Combine(_scratch, "edgelstm-linux-arm64.tar.gz");
        ProcessResult tar = Run(new ProcessStartInfo("tar") { ArgumentList = { "-czf", tarball, "-C", _scratch, "edgelstm" } });
        Assert.Equal(0, tar.ExitCode);
        string bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        string sudo = Path.Combine(bin, "sudo");
        File.WriteAllText(sudo, $"#!/bin/sh\nwork=${{2%/edgelstm/install.sh}}\necho \"$work $(stat -c %a \"$work\")\" > '{_scratch}/sudo.txt'\nexec \"$@\"\n");
        File.SetUnixFileMode(sudo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", File.ReadAllText(Repository.Path("firmware-config", "install", "receive.sh")), "receive.sh",
                sha256(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tarball)))) },
        };
        start.Environment["HOME"] = Home;
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        return Run(start, stdin: tarball);
    }

    /// <summary>What the fake sudo saw: the folder install.sh ran from and its mode, or null when sudo never ran.</summary>
    public string? SudoSaw() => File.Exists(Path.Combine(_scratch, "sudo.txt")) ? File.ReadAllText(Path.Combine(_scratch, "sudo.txt")).Trim() : null;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static string ArmCpuInfo(string features, string variant, string part, string revision, string model)
    {
        var cpuinfo = new StringBuilder();
        for (int processor = 0; processor < 4; processor++)
        {
            cpuinfo.Append($"processor\t: {processor}\nBogoMIPS\t: 108.00\nFeatures\t: {features}\nCPU implementer\t: 0x41\n")
                .Append($"CPU architecture: 8\nCPU variant\t: {variant}\nCPU part\t: {part}\nCPU revision\t: {revision}\n\n");
        }
        return cpuinfo.Append($"Revision\t: d04170\nSerial\t\t: 10000000abcdef01\nModel\t\t: {model}\n").ToString();
    }

    private ProcessResult Run(ProcessStartInfo start, string? stdin = null)
    {
        start.Environment["DESTDIR"] = Root;
        start.Environment["EDGELSTM_CPUINFO"] = CpuInfo;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            using FileStream input = File.OpenRead(stdin);
            input.CopyTo(process.StandardInput.BaseStream);
        }
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"{start.FileName} did not finish in a minute");
        return new ProcessResult(process.ExitCode, output.Result, error.Result);
    }
}
