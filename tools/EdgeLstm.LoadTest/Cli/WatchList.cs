using System.Globalization;
using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest.Cli;

/// <summary>Reads <c>--watch NAME=PID</c> values into samplers.</summary>
internal static class WatchList
{
    /// <summary>A sampler per value, or null with <paramref name="problem"/> naming the first bad one.</summary>
    public static IReadOnlyList<ProcessSampler>? TryParse(IEnumerable<string> values, out string problem)
    {
        problem = "";
        var samplers = new List<ProcessSampler>();
        foreach (string value in values)
        {
            int equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1 || !int.TryParse(value.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid < 1)
            {
                problem = $"--watch must be NAME=PID; got '{value}'.";
                return null;
            }
            samplers.Add(new ProcessSampler(value[..equals], pid));
        }
        return samplers;
    }
}
