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
/// Command-line options that change a board file (<c>--speed</c>, <c>--loop</c>, <c>--sink</c>, <c>--trusted-key</c>). They are written into the
/// file's JSON before it is validated, so the one validation checks the result (a fast clock never drives real
/// hardware) and the validated config is never changed afterwards.
/// </summary>
/// <param name="Speed">Overrides <c>sampler.clock</c>: <c>realtime</c>, or <c>fast</c> for <see cref="RunSpeed.Max"/>.</param>
/// <param name="Loop">Sets <c>loop</c> on every replay device.</param>
/// <param name="Sinks">Replaces the file's <c>sinks</c> with these sink URIs (<see cref="Sinks.SinkUri"/>), when given.</param>
/// <param name="DeviceId">The device id the board's frames carry instead of <c>board.name@hostname</c>.</param>
/// <param name="TrustedKeys">Public key files (absolute paths) added to <c>trust.modelKeys</c>.</param>
public sealed record RunOverrides(RunSpeed? Speed = null, bool Loop = false, IReadOnlyList<string>? Sinks = null, string? DeviceId = null,
    IReadOnlyList<string>? TrustedKeys = null)
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

    /// <summary>Writes <see cref="Sinks"/> into the runtime's sections; returns the JSON paths set, with the option that set each.</summary>
    /// <param name="owned">The runtime's sections of the file (<c>model</c>, <c>sinks</c>, …).</param>
    /// <param name="problems">Where a sink URI that cannot be read is reported.</param>
    internal IReadOnlyDictionary<string, string> ApplyToRuntimeSections(JsonObject owned, List<ConfigProblem> problems)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Sinks is { Count: > 0 })
        {
            var replaced = new JsonArray();
            for (int i = 0; i < Sinks.Count; i++)
            {
                set[$"$.sinks[{i}]"] = $"--sink {EdgeLstm.Runtime.Sinks.SinkUri.Redacted(Sinks[i])}";
                if (EdgeLstm.Runtime.Sinks.SinkUri.TryParse(Sinks[i], out JsonObject? sink, out string? problem)) replaced.Add((JsonNode)sink);
                else problems.Add(new ConfigProblem($"$.sinks[{i}]", problem!, EdgeLstm.Runtime.Sinks.SinkUri.Forms));
            }
            owned["sinks"] = replaced;
        }

        if (TrustedKeys is { Count: > 0 })
        {
            JsonObject trust = owned["trust"] as JsonObject ?? [];
            owned["trust"] = trust;
            JsonArray keys = trust["modelKeys"] as JsonArray ?? [];
            trust["modelKeys"] = keys;
            foreach (string key in TrustedKeys)
            {
                set[$"$.trust.modelKeys[{keys.Count}]"] = $"--trusted-key {key}";
                keys.Add((JsonNode)key);
            }
        }

        return set;
    }
}
