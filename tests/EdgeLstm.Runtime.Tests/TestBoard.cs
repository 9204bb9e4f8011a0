using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Tests;

/// <summary>
/// A throw-away folder with a simulated board config (an ADS1115 at register level behind the real binding,
/// 100 Hz, virtual clock) and a matching model, for running the whole runtime in tests. With
/// <c>replayCsv</c> the board replays that recording (columns <c>current</c> and <c>pressure</c>, one row per
/// sample) instead of sampling the ADS1115.
/// </summary>
internal sealed class TestBoard : IDisposable
{
    public TestBoard(string sinks = """[ { "type": "stdout" } ]""", string decision = """{ "threshold": 0.5, "clearThreshold": 0.4 }""",
        string bus = "", string[]? modelChannels = null, float sampleRate = 100, string? replayCsv = null, string? journal = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgelstm-runtime-").FullName;
        ModelPath = Path.Combine(Directory, "model.elstm");
        ModelFile.Save(Model(modelChannels ?? ["current", "pressure"], sampleRate), ModelPath);
        ConfigPath = Path.Combine(Directory, "board.json");
        string device = $$"""
            {
                "type": "ads1115", "name": "adc0", "address": "0x48", "fullScaleVolts": 4.096, "dataRate": 860,
                "channels": [
                  { "name": "current", "input": "AIN0", "unit": "A", "scale": 10.0 },
                  { "name": "pressure", "input": "AIN1", "unit": "bar", "scale": 2.5 } ],
                "simulation": {
                  "inputs": {
                    "ain0": { "offset": 1.2, "amplitude": 0.05, "frequencyHz": 0.5, "noise": 0.005, "seed": 1,
                              "faults": [ { "kind": "step", "startSeconds": 5, "delta": 1.5 } ] },
                    "ain1": { "offset": 1.7, "amplitude": 0.02, "frequencyHz": 0.2, "seed": 2 } }{{bus}} } }
            """;
        if (replayCsv is not null)
        {
            File.WriteAllText(Path.Combine(Directory, "recording.csv"), replayCsv);
            device = """
                { "type": "replay", "name": "recording", "file": "recording.csv", "timing": "sequential",
                  "channels": [ { "name": "current", "unit": "A" }, { "name": "pressure", "unit": "bar" } ] }
                """;
        }

        File.WriteAllText(ConfigPath, $$"""
            {
              "board": { "name": "test-board", "simulated": true },
              "sampler": { "rateHz": 100, "holdLimit": 3, "clock": "fast" },
              "devices": [ {{device}} ],
              "model": { "path": "model.elstm" },
              "decision": {{decision}},
              "sinks": {{sinks}},{{(journal is null ? "" : $"\n  \"journal\": {journal},")}}
              "health": { "intervalSeconds": 2 }
            }
            """);
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string ModelPath { get; }

    /// <summary>
    /// A streaming classifier whose "fault" probability follows the current, with weights chosen by hand:
    /// h ≈ ½·tanh(½·tanh(2x − 3)) for normalized current x, so about −0.23 in normal operation (|x| ≤ 0.5) and
    /// +0.23 after the step fault at 5 s (x ≈ 15); the head turns that into P(fault) ≈ 0 or ≈ 1.
    /// </summary>
    public static RecurrentModel Model(string[] channels, float sampleRate)
    {
        const int hidden = 4;
        var w = new float[4 * hidden * channels.Length];
        for (int j = 0; j < hidden; j++)
        {
            w[(0 * hidden + j) * channels.Length] = 0f;   // input gate: half open
            w[(1 * hidden + j) * channels.Length] = 0f;   // output gate: half open
            w[(3 * hidden + j) * channels.Length] = 2f;   // cell candidate follows the current
        }
        var bias = new float[4 * hidden];
        for (int j = 0; j < hidden; j++)
        {
            bias[2 * hidden + j] = -6f; // forget gate closed: no memory
            bias[3 * hidden + j] = -3f; // candidate ≈ -1 in normal operation, +1 once the current is far above normal
        }
        var layer = new RecurrentLayer(RecurrentKind.Lstm, RecurrentDirection.Forward, channels.Length, hidden,
            [new DirectionWeights(WeightMatrix.FromFloat(4 * hidden, channels.Length, w), WeightMatrix.FromFloat(4 * hidden, hidden, new float[4 * hidden * hidden]), bias, new float[4 * hidden])],
            RecurrentLayer.DefaultActivations(RecurrentKind.Lstm, 1));
        var head = new DenseLayer(WeightMatrix.FromFloat(2, hidden, [-8, -8, -8, -8, 8, 8, 8, 8]), [1.5f, -1.5f], ActivationKind.Softmax);
        var meta = new ModelMetadata(
            [new ChannelInfo(channels[0], "A", 12f, 1f), .. channels.Skip(1).Select(c => new ChannelInfo(c, "bar", 2.5f, 1f))],
            OutputKind.Classifier, ["normal", "fault"], SampleRateHz: sampleRate, Name: "test");
        return new RecurrentModel([layer], [head], HeadInput.LastStep, meta).Quantize();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
