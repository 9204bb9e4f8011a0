using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Engine;

public class PredictorTests
{
    public static TheoryData<int> CoverageCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < RandomModels.CoverageSpecs().Count(); i++) data.Add(i);
        return data;
    }

    /// <summary>Specs whose outputs are bounded (softmax, sigmoid, tanh head), where the int8 tolerance is stated.</summary>
    public static TheoryData<int> BoundedOutputCases()
    {
        var data = new TheoryData<int>();
        int i = 0;
        foreach (ModelSpec spec in RandomModels.CoverageSpecs())
        {
            if (spec.DenseSizes is { Length: > 0 } && spec.FinalActivation is ActivationKind.Softmax or ActivationKind.Sigmoid or ActivationKind.Tanh)
                data.Add(i);
            i++;
        }
        return data;
    }

    private static ModelSpec Spec(int index) => RandomModels.CoverageSpecs().ElementAt(index);

    [Theory]
    [MemberData(nameof(CoverageCases))]
    public void Float32_matches_the_reference_equations(int specIndex)
    {
        ModelSpec spec = Spec(specIndex);
        for (int seed = 0; seed < 3; seed++)
        {
            RecurrentModel model = RandomModels.Create(spec, seed);
            var predictor = new Predictor(model);
            float[] window = RandomModels.Values(new Random(100 + seed), 12 * model.InputSize, 1.5f);
            var output = new float[predictor.OutputSize];
            predictor.RunWindow(window, output);
            double[] expected = ReferenceRnn.Run(model, window);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - output[i]) <= 1e-5, $"{spec} seed {seed}: output {i} is {output[i]}, reference {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(BoundedOutputCases))]
    public void Int8_stays_within_the_stated_tolerance_of_float32(int specIndex)
    {
        ModelSpec spec = Spec(specIndex);
        double worst = 0;
        for (int seed = 0; seed < 3; seed++)
        {
            RecurrentModel model = RandomModels.Create(spec, seed);
            var reference = new Predictor(model);
            var quantized = new Predictor(model.Quantize());
            Assert.Equal(ModelPrecision.Int8, quantized.Model.Precision);
            float[] window = RandomModels.Values(new Random(200 + seed), 24 * model.InputSize, 1.5f);
            var expected = new float[reference.OutputSize];
            var actual = new float[quantized.OutputSize];
            reference.RunWindow(window, expected);
            quantized.RunWindow(window, actual);
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Int8Tolerance, $"{spec}: int8 differs from float32 by {worst}");
    }

    /// <summary>The documented bound (docs/model-format.md) on bounded outputs for unit-scale inputs.</summary>
    private const double Int8Tolerance = 0.02;

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    public void Int8_error_stays_small_at_deployment_sizes(int hidden)
    {
        var spec = new ModelSpec(HiddenSizes: [hidden, hidden], DenseSizes: [4]);
        RecurrentModel model = RandomModels.Create(spec, 7);
        var reference = new Predictor(model);
        var quantized = new Predictor(model.Quantize());
        var random = new Random(3);
        var expected = new float[4];
        var actual = new float[4];
        double worst = 0;
        for (int t = 0; t < 200; t++)
        {
            float[] sample = RandomModels.Values(random, 8, 1.5f);
            reference.Step(sample, expected);
            quantized.Step(sample, actual);
            for (int i = 0; i < 4; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= Int8Tolerance, $"H={hidden}: int8 differs from float32 by {worst} over 200 streamed steps");
    }

    [Theory]
    [InlineData(RecurrentKind.Lstm, false)]
    [InlineData(RecurrentKind.Lstm, true)]
    [InlineData(RecurrentKind.Gru, false)]
    [InlineData(RecurrentKind.Gru, true)]
    public void Streaming_steps_equal_a_window_over_the_same_samples(RecurrentKind kind, bool int8)
    {
        RecurrentModel model = RandomModels.Create(new ModelSpec(kind, HiddenSizes: [12, 20], Peepholes: kind == RecurrentKind.Lstm, InitialState: true, DenseSizes: [6, 3]), 11);
        if (int8) model = model.Quantize();
        var predictor = new Predictor(model);
        float[] window = RandomModels.Values(new Random(5), 30 * model.InputSize, 2f);
        var streamed = new float[3];
        for (int t = 0; t < 30; t++)
            predictor.Step(window.AsSpan(t * model.InputSize, model.InputSize), streamed);
        var windowed = new float[3];
        predictor.RunWindow(window, windowed);
        Assert.Equal(windowed, streamed); // same operations in the same order: bit-identical
    }

    [Fact]
    public void Reset_returns_to_the_initial_state_and_RunWindow_leaves_the_stream_alone()
    {
        RecurrentModel model = RandomModels.Create(new ModelSpec(InitialState: true, DenseSizes: [2]), 3);
        var predictor = new Predictor(model);
        float[] sample = RandomModels.Values(new Random(1), model.InputSize, 1f);
        var first = new float[2];
        var again = new float[2];
        predictor.Step(sample, first);
        predictor.Step(sample, again);
        Assert.NotEqual(first, again); // the state was carried
        predictor.Reset();
        predictor.RunWindow(RandomModels.Values(new Random(2), 5 * model.InputSize, 1f), new float[2]);
        predictor.Step(sample, again);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Steps_and_windows_allocate_nothing_after_construction()
    {
        foreach (bool int8 in new[] { false, true })
        {
            RecurrentModel model = RandomModels.Create(new ModelSpec(RecurrentKind.Lstm, HiddenSizes: [32, 32], Peepholes: true, DenseSizes: [8, 4]), 1);
            RecurrentModel gru = RandomModels.Create(new ModelSpec(RecurrentKind.Gru, RecurrentDirection.Bidirectional, LinearBeforeReset: false, DenseSizes: [4]), 2);
            if (int8) { model = model.Quantize(); gru = gru.Quantize(); }
            var predictor = new Predictor(model, maxWindowLength: 16);
            var bidirectional = new Predictor(gru, maxWindowLength: 16);
            float[] sample = RandomModels.Values(new Random(1), 8, 1f);
            float[] window = RandomModels.Values(new Random(2), 16 * 8, 1f);
            var output = new float[4];
            predictor.Step(sample, output);
            predictor.RunWindow(window, output);
            bidirectional.RunWindow(window, output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) predictor.Step(sample, output);
            for (int i = 0; i < 20; i++) predictor.RunWindow(window, output);
            for (int i = 0; i < 20; i++) bidirectional.RunWindow(window, output);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{(int8 ? "int8" : "float32")}: {allocated} bytes allocated");
        }
    }

    [Fact]
    public void Bad_calls_get_clear_errors()
    {
        RecurrentModel model = RandomModels.Create(new ModelSpec(DenseSizes: [3]), 1);
        var predictor = new Predictor(model);
        var output = new float[3];
        Assert.Contains("takes 8", Assert.Throws<ArgumentException>(() => predictor.Step(new float[7], output)).Message);
        Assert.Contains("index 2", Assert.Throws<ArgumentException>(() => predictor.Step([0, 0, float.NaN, 0, 0, 0, 0, 0], output)).Message);
        Assert.Contains("produces 3", Assert.Throws<ArgumentException>(() => predictor.Step(new float[8], new float[2])).Message);
        Assert.Contains("T × 8", Assert.Throws<ArgumentException>(() => predictor.RunWindow(new float[12], output)).Message);
        var bidirectional = new Predictor(RandomModels.Create(new ModelSpec(Direction: RecurrentDirection.Bidirectional), 1));
        Assert.Contains("RunWindow", Assert.Throws<InvalidOperationException>(() => bidirectional.Step(new float[8], new float[32])).Message);
    }
}

public class NormalizerTests
{
    [Fact]
    public void Normalizes_each_channel_with_its_mean_and_std()
    {
        var normalizer = new Normalizer([new ChannelInfo("a", "V", 1f, 2f), new ChannelInfo("b", "A", -3f, 0.5f)]);
        var output = new float[2];
        normalizer.Normalize([5f, -2f], output);
        Assert.Equal([2f, 2f], output);
        Assert.Throws<ArgumentException>(() => normalizer.Normalize([1f], output));
        Assert.Contains("'b'", Assert.Throws<InvalidModelException>(() => new Normalizer([new ChannelInfo("a"), new ChannelInfo("b", Std: 0)])).Message);
    }
}
