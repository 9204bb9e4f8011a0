using System.Text.Json.Nodes;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Configuration;

/// <summary>How fast a run goes: the board's own clock, or as fast as the CPU allows (replay and simulation).</summary>
public enum RunSpeed
{
    /// <summary>Sample on the wall clock at the configured rate.</summary>
    Realtime,

    /// <summary>Advance a virtual clock as fast as possible.</summary>
    Max,
}

/// <summary>
/// Command-line options that change a board file (<c>--speed</c>, <c>--loop</c>). They are written into the file's JSON
/// before it is validated, so the one validation checks the result (a fast clock never drives real hardware) and the
/// validated config is never changed afterwards.
/// </summary>
/// <param name="Speed">Overrides <c>sampler.clock</c>: <c>realtime</c>, or <c>fast</c> for <see cref="RunSpeed.Max"/>.</param>
/// <param name="Loop">Sets <c>loop</c> on every replay device.</param>
public sealed record RunOverrides(RunSpeed? Speed = null, bool Loop = false)
{
    /// <summary>No override: the file as it is.</summary>
    public static RunOverrides None { get; } = new();

    /// <summary>Writes the overrides into the sensor sections; returns the JSON paths each option set, to name it in problems.</summary>
    /// <param name="sensors">The sensor sections of the file.</param>
    /// <param name="problems">Where an option that cannot apply is reported.</param>
    /// <returns>Each JSON path set, with the option that set it.</returns>
    internal IReadOnlyDictionary<string, string> Apply(JsonObject sensors, List<ConfigProblem> problems)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Speed is { } speed && sensors["sampler"] is JsonObject sampler)
        {
            sampler["clock"] = speed == RunSpeed.Max ? "fast" : "realtime";
            set["$.sampler.clock"] = $"--speed {speed.ToString().ToLowerInvariant()}";
        }

        if (Loop)
        {
            int replays = 0;
            if (sensors["devices"] is JsonArray devices)
            {
                foreach (JsonObject device in devices.OfType<JsonObject>().Where(d => d["type"] is JsonValue type && type.TryGetValue(out string? kind) && kind == "replay"))
                {
                    device["loop"] = true;
                    replays++;
                }
            }

            if (replays == 0)
            {
                problems.Add(new ConfigProblem("$.devices", "--loop: the board replays no recording (no device of type replay).", "Leave --loop out to sample its sensors."));
            }
        }

        return set;
    }
}
