using System.Text.Json.Nodes;
using EdgeLstm.Evaluate.Skab;

namespace EdgeLstm.Evaluate.Runtime;

/// <summary>Writes the simulated board that replays one SKAB recording through one model (like firmware-config/sim-skab-replay.json).</summary>
public static class ReplayBoard
{
    /// <summary>The 8 SKAB channels, named as the CSV columns (the model pairs its inputs and outputs by these names).</summary>
    public static IReadOnlyList<(string Name, string Unit)> Channels { get; } =
    [
        ("Accelerometer1RMS", "g"), ("Accelerometer2RMS", "g"), ("Current", "A"), ("Pressure", "bar"),
        ("Temperature", "degC"), ("Thermocouple", "degC"), ("Voltage", "V"), ("Volume Flow RateRMS", "l/min"),
    ];

    /// <summary>Builds the board config JSON: the whole file replayed one row per sample, with the model's decision settings.</summary>
    /// <param name="recording">The recording to replay.</param>
    /// <param name="modelPath">The converted model.</param>
    /// <param name="decision">The model's decision settings.</param>
    /// <returns>The board config text.</returns>
    public static string Build(SkabRecording recording, string modelPath, DecisionSettings decision)
    {
        var channels = new JsonArray();
        foreach ((string name, string unit) in Channels)
        {
            channels.Add(new JsonObject { ["name"] = name, ["unit"] = unit });
        }

        var board = new JsonObject
        {
            ["board"] = new JsonObject
            {
                ["name"] = $"eval-skab-{recording.ModelStem}",
                ["description"] = $"Evaluation replay of SKAB {recording.Name}.",
                ["hardware"] = "generic",
                ["simulated"] = true,
            },
            ["sampler"] = new JsonObject { ["rateHz"] = 1, ["holdLimit"] = 2, ["clock"] = "fast" },
            ["devices"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "replay",
                    ["name"] = "skab",
                    ["file"] = recording.CsvPath,
                    ["timeColumn"] = "datetime",
                    ["timing"] = "sequential",
                    ["channels"] = channels,
                },
            },
            ["model"] = new JsonObject { ["path"] = Path.GetFullPath(modelPath) },
            ["decision"] = new JsonObject
            {
                ["name"] = "anomaly",
                ["score"] = "residual",
                ["smoothingAlpha"] = decision.Alpha,
                ["minDurationSamples"] = decision.MinOn,
                ["calibration"] = new JsonObject
                {
                    ["samples"] = decision.CalibrationRows,
                    ["quantile"] = decision.Quantile,
                    ["factor"] = decision.Factor,
                    ["clearRatio"] = decision.OffRatio,
                },
            },
            ["sinks"] = new JsonArray { new JsonObject { ["type"] = "stdout" } },
        };
        return board.ToJsonString(new() { WriteIndented = true });
    }
}
