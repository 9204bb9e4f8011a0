using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests;

/// <summary>Builds random float32 models, and packed int8 LSTM directions, from a seed.</summary>
internal static class RandomModels
{
    public static RecurrentModel Create(ModelSpec spec, int seed)
    {
        var random = new Random(seed);
        int[] hidden = spec.HiddenSizes ?? [16];
        int dirs = spec.Direction == RecurrentDirection.Bidirectional ? 2 : 1;
        int gates = spec.Kind == RecurrentKind.Lstm ? 4 : 3;
        var layers = new List<RecurrentLayer>();
        int input = spec.InputSize;
        foreach (int h in hidden)
        {
            float scale = spec.WeightScale / MathF.Sqrt(h);
            var directions = new DirectionWeights[dirs];
            for (int d = 0; d < dirs; d++)
            {
                directions[d] = new DirectionWeights(
                    WeightMatrix.FromFloat(gates * h, input, Values(random, gates * h * input, spec.WeightScale / MathF.Sqrt(input))),
                    WeightMatrix.FromFloat(gates * h, h, Values(random, gates * h * h, scale * 2)),
                    Values(random, gates * h, 0.3f),
                    Values(random, gates * h, 0.3f),
                    spec.Peepholes ? Values(random, 3 * h, 0.5f) : null,
                    spec.InitialState ? Values(random, h, 0.5f) : null,
                    spec.InitialState && spec.Kind == RecurrentKind.Lstm ? Values(random, h, 0.5f) : null);
            }

            IReadOnlyList<ActivationKind> acts = spec.Activations is null
                ? RecurrentLayer.DefaultActivations(spec.Kind, dirs)
                : Enumerable.Range(0, dirs).SelectMany(_ => spec.Activations).ToArray();
            layers.Add(new RecurrentLayer(spec.Kind, spec.Direction, input, h, directions, acts, spec.Clip,
                spec.Kind == RecurrentKind.Gru && spec.LinearBeforeReset));
            input = h * dirs;
        }
        var head = new List<DenseLayer>();
        int[] dense = spec.DenseSizes ?? [];
        for (int i = 0; i < dense.Length; i++)
        {
            bool last = i == dense.Length - 1;
            head.Add(new DenseLayer(WeightMatrix.FromFloat(dense[i], input, Values(random, dense[i] * input, 1f / MathF.Sqrt(input))),
                Values(random, dense[i], 0.2f), last ? spec.FinalActivation : ActivationKind.Relu));
            input = dense[i];
        }
        bool canStream = spec.Direction == RecurrentDirection.Forward;
        var metadata = ModelMetadata.CreateDefault(spec.InputSize, input) with
        {
            Mode = canStream ? ExecutionMode.Streaming : ExecutionMode.Windowed,
            WindowLength = canStream ? 1 : 16,
        };
        return new RecurrentModel(layers, head, spec.HeadInput, metadata);
    }

    /// <summary>(I, H) pairs the packed-LSTM kernel tests run: one unit, partial and whole blocks, several blocks.</summary>
    public static readonly (int Input, int Hidden)[] PackedLstmShapes = [(1, 1), (8, 3), (8, 8), (3, 13), (20, 16), (33, 50), (8, 64)];

    /// <summary>A random int8 LSTM direction packed for the fused kernel: I inputs, H units, the given clip.</summary>
    public static PackedInt8Lstm Int8Direction(Random random, int input, int hidden, float clip)
    {
        WeightMatrix w = WeightMatrix.FromFloat(4 * hidden, input, Values(random, 4 * hidden * input, 1f)).Quantize();
        WeightMatrix r = WeightMatrix.FromFloat(4 * hidden, hidden, Values(random, 4 * hidden * hidden, 1f)).Quantize();
        return new PackedInt8Lstm(w, r, Values(random, 4 * hidden, 0.5f), hidden, clip);
    }

    public static float[] Values(Random random, int count, float scale)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }

    /// <summary>Every combination the correctness tests cover.</summary>
    public static IEnumerable<ModelSpec> CoverageSpecs()
    {
        foreach (RecurrentDirection direction in Enum.GetValues<RecurrentDirection>())
        {
            yield return new ModelSpec(RecurrentKind.Lstm, direction, DenseSizes: [5, 3]);
            yield return new ModelSpec(RecurrentKind.Lstm, direction, HiddenSizes: [7, 13], Peepholes: true, InitialState: true, DenseSizes: [4]);
            yield return new ModelSpec(RecurrentKind.Lstm, direction, Clip: 0.7f, DenseSizes: [2], FinalActivation: ActivationKind.Sigmoid, HeadInput: HeadInput.FinalState);
            yield return new ModelSpec(RecurrentKind.Lstm, direction, Activations: [ActivationKind.Sigmoid, ActivationKind.Relu, ActivationKind.Relu], DenseSizes: [3], FinalActivation: ActivationKind.None);
            yield return new ModelSpec(RecurrentKind.Gru, direction, HiddenSizes: [9, 11], LinearBeforeReset: true, DenseSizes: [4]);
            yield return new ModelSpec(RecurrentKind.Gru, direction, LinearBeforeReset: false, InitialState: true, Clip: 0.5f, DenseSizes: [3], FinalActivation: ActivationKind.Tanh, HeadInput: HeadInput.FinalState);
            yield return new ModelSpec(RecurrentKind.Gru, direction, HiddenSizes: [1], Activations: [ActivationKind.Sigmoid, ActivationKind.Relu], DenseSizes: []);
        }
        yield return new ModelSpec(RecurrentKind.Lstm, RecurrentDirection.Forward, InputSize: 3, HiddenSizes: [37, 33, 5], DenseSizes: [10, 4]);
    }
}
