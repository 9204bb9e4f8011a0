using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Tests.Configuration;

/// <summary>
/// Board configs whose fields are each plausible JSON but hostile: every numeric field of every shipped simulated
/// board set to 0, negative, tiny, huge, beyond float or double, or fractional where an integer belongs. What
/// <c>validate</c> accepts must run a simulated minute; everything else is refused with exit 2. Never an exception.
/// </summary>
public sealed class HostileConfigTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("EDGELSTM_HOSTILE_CASES"), out int n) ? n : 10_000;

    // JSON has no ±∞; 1e999 is what a config can say instead, and parses to ∞.
    private static readonly string[] Hostile =
    [
        "0", "-0.0", "-1", "1e-39", "-1e-39", "1e-7", "0.5", "1.5", "1e12", "-1e12", "1e39", "-1e39", "1e308", "-1e308", "1e999", "-1e999",
        "2147483648", "-2147483649", "9223372036854775808", "4294967296", "65536", "255", "256", "1e-320",
    ];

    private static readonly string[] Boards =
    [
        Repository.Path("firmware-config", "sim-synthetic-faults.json"),
        Repository.Path("firmware-config", "sim-pump-house.json"),
        Repository.Path("firmware-config", "sim-skab-replay.json"),
        Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-board.json"),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Each board with its relative paths made absolute (so a mutated copy can live elsewhere), and its numeric leaves.</summary>
    private static readonly (JsonNode Config, string[] Numbers)[] Parsed = [.. Boards.Select(Parse)];

    private static (JsonNode, string[]) Parse(string path)
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var numbers = new List<string>();
        Walk(config, Path.GetDirectoryName(path)!, numbers);
        return (config, [.. numbers]);
    }

    private static void Walk(JsonNode node, string baseDirectory, List<string> numbers)
    {
        switch (node)
        {
            case JsonObject o:
                foreach ((string key, JsonNode? child) in o.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue(out string? text) && key is "path" or "file" && !Path.IsPathRooted(text))
                        o[key] = Path.GetFullPath(text, baseDirectory);
                    else if (child is not null) Walk(child, baseDirectory, numbers);
                }
                break;
            case JsonArray a:
                foreach (JsonNode? child in a)
                    if (child is not null) Walk(child, baseDirectory, numbers);
                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                numbers.Add(v.GetPath());
                break;
        }
    }

    /// <summary>The config with the numbers at <paramref name="paths"/> replaced by raw JSON number text.</summary>
    private static string Mutate(JsonNode config, string[] numbers, IEnumerable<(int Path, int Value)> changes)
    {
        var copy = config.DeepClone();
        var replacements = new Dictionary<string, string>();
        foreach ((int path, int value) in changes)
        {
            // A placeholder string, swapped for the raw number text after serialization (JsonNode cannot hold 1e999).
            string marker = $"@@{replacements.Count}@@";
            replacements[marker] = Hostile[value];
            Replace(copy, numbers[path], marker);
        }
        string text = copy.ToJsonString();
        foreach ((string marker, string number) in replacements) text = text.Replace($"\"{marker}\"", number, StringComparison.Ordinal);
        return text;
    }

    private static void Replace(JsonNode root, string path, string marker)
    {
        // Paths look like $.devices[0].channels[1].scale.
        JsonNode node = root;
        var parts = System.Text.RegularExpressions.Regex.Matches(path, @"\.([A-Za-z0-9_]+)|\[(\d+)\]");
        for (int i = 0; i < parts.Count; i++)
        {
            var m = parts[i];
            bool last = i == parts.Count - 1;
            if (m.Groups[1].Success)
            {
                if (last) node.AsObject()[m.Groups[1].Value] = marker;
                else node = node[m.Groups[1].Value]!;
            }
            else
            {
                int index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (last) node.AsArray()[index] = marker;
                else node = node[index]!;
            }
        }
    }

    [Fact]
    public void Every_hostile_number_is_refused_with_exit_2_or_runs_a_simulated_minute()
    {
        int accepted = 0, refused = 0;
        var slowest = new System.Collections.Concurrent.ConcurrentBag<(double Ms, string Text)>();
        Gen.Select(Gen.Int[0, Parsed.Length - 1], Gen.Int[0, int.MaxValue].Array[1, 3], Gen.Int[0, Hostile.Length - 1].Array[3])
            .Sample((board, paths, values) =>
            {
                (JsonNode config, string[] numbers) = Parsed[board];
                (int Path, int Value)[] changes = [.. paths.Select((p, i) => (p % numbers.Length, values[i]))];
                string text = Mutate(config, numbers, changes);
                string what = string.Join(", ", changes.Select(c => $"{numbers[c.Path]} = {Hostile[c.Value]}"));
                string file = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(file, text);
                try
                {
                    var error = new StringWriter();
                    int exit = ValidateCommand.Run(file, null, new StringWriter(), error);
                    if (exit == ExitCodes.BadInput)
                    {
                        Assert.True(error.ToString().Contains("$.", StringComparison.Ordinal) || error.ToString().Contains("model", StringComparison.Ordinal),
                            $"{what}: a refusal must name the field: {error}");
                        Interlocked.Increment(ref refused);
                        return;
                    }
                    Assert.True(exit == ExitCodes.Success, $"{what}: validate exited {exit}: {error}");
                    var log = new StringWriter();
                    using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // a simulated minute takes milliseconds
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    int run = RunCommand.Run(new RunOptions(file, null, TimeSpan.FromSeconds(60), RunSpeed.Max, OutputFormat.Msgpack), Stream.Null, log, hang.Token);
                    Assert.False(hang.IsCancellationRequested, $"{what}: a simulated minute did not end in 20 s: {log}");
                    Assert.True(run == ExitCodes.Success, $"{what}: validate accepted, run exited {run}: {log}");
                    Interlocked.Increment(ref accepted);
                    slowest.Add((clock.Elapsed.TotalMilliseconds, what));
                }
                finally
                {
                    File.Delete(file);
                }
            }, iter: Cases, threads: 2);
        output.WriteLine($"{Cases} hostile configs: {accepted} ran a simulated minute, {refused} refused");
        foreach ((double ms, string text) in slowest.OrderByDescending(s => s.Ms).Take(3)) output.WriteLine($"{ms:F0} ms: {text}");
        Assert.True(accepted > Cases / 20 && refused > Cases / 20, $"{accepted} accepted, {refused} refused: the generator must reach both");
    }
}
