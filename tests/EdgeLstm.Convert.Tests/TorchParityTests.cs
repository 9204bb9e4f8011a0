using EdgeLstm.Convert.Onnx;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Tests;

/// <summary>
/// Every model exported by tools/train/export_models.py converts and reproduces torch's outputs: float32 within
/// 1e-4, int8 within the engine's tolerance. Expected values come from torch, not from this code.
/// </summary>
public sealed class TorchParityTests(Xunit.Abstractions.ITestOutputHelper log)
{
    public static TheoryData<string> Fixtures => new(FixturePaths.TorchFixtureNames);

    [Fact]
    public void All_fixtures_are_present()
    {
        Assert.True(FixturePaths.TorchFixtureNames.Count() >= 11, "expected the 11 torch fixtures of tools/train/export_models.py");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float32_matches_torch_within_1e_4(string name)
    {
        float maxError = MaxError(name, quantize: false);
        log.WriteLine($"{name} float32: max abs error vs torch {maxError:G3}");
        Assert.True(maxError <= 1e-4f, $"{name}: max abs error {maxError:G4} > 1e-4");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Int8_matches_torch_within_engine_tolerance(string name)
    {
        float maxError = MaxError(name, quantize: true);
        log.WriteLine($"{name} int8: max abs error vs torch {maxError:G3}");
        Assert.True(maxError <= Int8Tolerance, $"{name}: max abs error {maxError:G4} > {Int8Tolerance}");
    }

    /// <summary>The int8 engine's stated tolerance on bounded outputs; the fixtures' outputs are O(1).</summary>
    internal const float Int8Tolerance = 0.02f;

    internal static float MaxError(string name, bool quantize)
    {
        string folder = FixturePaths.Torch(name);
        ImportedModel imported = GraphImporter.Import(Path.Combine(folder, "model.onnx"));
        RecurrentModel converted = quantize ? imported.Model.Quantize() : imported.Model;
        // Through the .elstm file, as the board gets it.
        RecurrentModel model = ModelFile.Load(ModelFile.ToBytes(converted));
        Assert.Equal(converted.Precision, model.Precision);
        var inputs = ReferenceData.Load(Path.Combine(folder, "input.csv"));
        var expected = ReferenceData.Load(Path.Combine(folder, "expected.csv"));
        var predictor = new Predictor(model, 64);
        var output = new float[predictor.OutputSize];
        float maxError = 0;
        int compared = 0;
        foreach (int seq in inputs.Sequences)
        {
            float[] x = inputs.Sequence(seq);
            foreach ((int t, float[] want) in expected.Of(seq))
            {
                predictor.RunWindow(x.AsSpan(0, (t + 1) * model.InputSize), output);
                Assert.Equal(want.Length, predictor.OutputSize);
                for (int k = 0; k < want.Length; k++) maxError = Math.Max(maxError, Math.Abs(want[k] - output[k]));
                compared++;
            }
            if (model.CanStream)
            {
                // Streaming must give the same per-prefix outputs as running each prefix.
                predictor.Reset();
                int step = 0;
                foreach ((int t, float[] want) in expected.Of(seq))
                {
                    for (; step <= t; step++) predictor.Step(x.AsSpan(step * model.InputSize, model.InputSize), output);
                    for (int k = 0; k < want.Length; k++) maxError = Math.Max(maxError, Math.Abs(want[k] - output[k]));
                }
            }
        }
        Assert.True(compared > 0);
        return maxError;
    }
}
