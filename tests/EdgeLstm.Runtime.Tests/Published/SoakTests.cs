using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace EdgeLstm.Runtime.Tests.Published;

/// <summary>
/// 10⁸ samples through the published binary on the fast clock (a board at 100 Hz for 11.6 days) with its resident
/// memory read from /proc every half second: after start-up it must stay flat, since nothing per sample allocates
/// and every buffer is bounded.
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    private const long Samples = 100_000_000;

    [Fact]
    public async Task A_hundred_million_samples_run_with_resident_memory_flat()
    {
        using var board = new TestBoard(sinks: """[ { "type": "null" } ]""");
        var start = new ProcessStartInfo(PublishedRuntime.BinaryPath)
        {
            ArgumentList = { "run", "--config", board.ConfigPath, "--duration", (Samples / 100).ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> log = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        var rss = new List<long>();
        var limit = Stopwatch.StartNew();
        while (!process.WaitForExit(500))
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(20))
            {
                process.Kill();
                Assert.Fail($"10^8 samples took longer than 20 minutes; RSS so far (KiB): {string.Join(", ", rss)}");
            }
            if (ResidentKiB(process.Id) is long kib) rss.Add(kib);
        }

        string text = await log;
        await stdout;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains($"stopped after {Samples} samples", text);
        Assert.True(rss.Count >= 20, $"only {rss.Count} memory readings: the run was too short to judge");
        // Start-up (loading, JIT-free AOT, first buffers) is the first tenth; from then on nothing may grow.
        long settled = rss[rss.Count / 10];
        long highest = rss.Skip(rss.Count / 10).Max();
        output.WriteLine($"{rss.Count} readings over {limit.Elapsed.TotalSeconds:F0} s; RSS at 10 %: {settled} KiB, highest after: {highest} KiB, last: {rss[^1]} KiB");
        Assert.True(highest - settled <= 2048, $"resident memory grew from {settled} KiB to {highest} KiB after start-up: {string.Join(", ", rss)}");
    }

    private static long? ResidentKiB(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // the process ended between the wait and the read
        }
        return null;
    }
}
