using System.Diagnostics;

namespace EdgeLstm.Evaluate.Runtime;

/// <summary>Runs the real runtime binary on a board config, as fast as possible, and returns its framed stdout.</summary>
/// <param name="executable">The runtime: a native binary (e.g. AOT-published <c>edgelstm</c>) or <c>edgelstm.dll</c> (run with <c>dotnet</c>).</param>
public sealed class RuntimeProcess(string executable)
{
    /// <summary>The runtime built next to this tool (it references the runtime project).</summary>
    public static string Default => Path.Combine(AppContext.BaseDirectory, "edgelstm.dll");

    /// <summary>The runtime this instance runs.</summary>
    public string Executable { get; } = executable;

    /// <summary>Runs <c>edgelstm run --config &lt;board&gt; --speed max --format msgpack</c>.</summary>
    /// <param name="boardPath">The board config.</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>The bytes the runtime wrote to stdout.</returns>
    /// <exception cref="EvaluationException">The runtime is missing or exits non-zero (with its stderr).</exception>
    public async Task<byte[]> RunAsync(string boardPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Executable))
        {
            throw new EvaluationException($"runtime not found: {Executable}");
        }

        bool managed = Executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(managed ? DotnetHost() : Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (managed)
        {
            start.ArgumentList.Add(Executable);
        }

        foreach (string arg in new[] { "run", "--config", boardPath, "--speed", "max", "--format", "msgpack" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new EvaluationException($"could not start {Executable}");
        using var stdout = new MemoryStream();
        // Both pipes are drained concurrently so neither can fill up and stall the runtime.
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(copy, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            string message = string.Join(" | ", (await stderr.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new EvaluationException($"runtime failed (exit {process.ExitCode}) on {boardPath}: {(message.Length > 0 ? message : "(no stderr)")}");
        }

        return stdout.ToArray();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
