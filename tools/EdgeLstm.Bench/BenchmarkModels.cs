using EdgeLstm.Core.Model;

namespace EdgeLstm.Bench;

/// <summary>Random models of the shapes the benchmarks measure (weights scaled like a trained network's).</summary>
public static class BenchmarkModels
{
    /// <summary>A stacked forward LSTM with a softmax classifier head.</summary>
    public static RecurrentModel Lstm(int inputs, int hidden, int layers, int classes, int seed = 1)
    {
        var random = new Random(seed);
        var stack = new List<RecurrentLayer>();
        int input = inputs;
        for (int l = 0; l < layers; l++)
        {
            var weights = new DirectionWeights(
                WeightMatrix.FromFloat(4 * hidden, input, Values(random, 4 * hidden * input, 1 / MathF.Sqrt(input))),
                WeightMatrix.FromFloat(4 * hidden, hidden, Values(random, 4 * hidden * hidden, 1 / MathF.Sqrt(hidden))),
                Values(random, 4 * hidden, 0.1f),
                Values(random, 4 * hidden, 0.1f));
            stack.Add(new RecurrentLayer(RecurrentKind.Lstm, RecurrentDirection.Forward, input, hidden, [weights],
                RecurrentLayer.DefaultActivations(RecurrentKind.Lstm, 1)));
            input = hidden;
        }
        var head = new DenseLayer(WeightMatrix.FromFloat(classes, hidden, Values(random, classes * hidden, 1 / MathF.Sqrt(hidden))),
            Values(random, classes, 0.1f), ActivationKind.Softmax);
        return new RecurrentModel(stack, [head], HeadInput.LastStep, ModelMetadata.CreateDefault(inputs, classes, OutputKind.Classifier));
    }

    private static float[] Values(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }
}
