using System.Diagnostics;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>What a published <c>edgelstm</c> printed and returned.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error (the log).</param>
internal sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>
/// The runtime as it ships: the Native AOT binary, trimmed and published with <c>UseSystemResourceKeys</c>, so its
/// messages are the ones a board prints. CI publishes it before the tests and passes its path in
/// <c>EDGELSTM_PUBLISHED_RUNTIME</c>; elsewhere the first test publishes it once (about a minute) into the temp folder.
/// </summary>
internal static class PublishedRuntime
{
    private static readonly Lazy<string> Binary = new(FindOrPublish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The published binary's path (published on first use).</summary>
    public static string BinaryPath => Binary.Value;

    /// <summary>
    /// Runs the published binary with <paramref name="arguments"/>, as the user running the tests or, with <paramref name="asUser"/>, as that uid;
    /// <paramref name="environment"/> sets variables (a null value removes one).
    /// </summary>
    public static ProcessResult Run(string[] arguments, int? asUser = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ProcessStartInfo start;
        if (asUser is int uid)
        {
            // Root reads every file; setpriv (util-linux) drops to an unprivileged user so permissions apply.
            start = new ProcessStartInfo("setpriv") { ArgumentList = { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", Binary.Value } };
        }
        else
        {
            start = new ProcessStartInfo(Binary.Value);
        }
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        return Execute(start, TimeSpan.FromMinutes(2));
    }

    private static string FindOrPublish()
    {
        if (Environment.GetEnvironmentVariable("EDGELSTM_PUBLISHED_RUNTIME") is { Length: > 0 } given)
        {
            Assert.True(File.Exists(given), $"EDGELSTM_PUBLISHED_RUNTIME names {given}, which does not exist");
            return given;
        }

        string output = Path.Combine(Path.GetTempPath(), $"edgelstm-published-{Environment.ProcessId}");
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Repository.Path("src", "EdgeLstm.Runtime"), "-c", "Release", "-r", "linux-x64", "-o", output, "-v", "quiet", "-nologo" },
        };
        ProcessResult result = Execute(publish, TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, $"dotnet publish failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        return Path.Combine(output, "edgelstm");
    }

    private static ProcessResult Execute(ProcessStartInfo start, TimeSpan limit)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {limit}");
        }
        return new ProcessResult(process.ExitCode, output.Result, error.Result);
    }
}
