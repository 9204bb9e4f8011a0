using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests;

public class FusedFloatLstmTests
{
    public static TheoryData<string> Paths() => new(FloatPaths.Supported.Select(p => p.ToString()));

    private static readonly (int Input, int Hidden)[] Shapes = [(1, 1), (8, 3), (8, 8), (3, 13), (20, 16), (33, 50), (8, 64)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_agrees_with_the_scalar_path_to_rounding(string pathName)
    {
        FloatPath path = Enum.Parse<FloatPath>(pathName);
        var random = new Random(21);
        foreach ((int input, int hidden) in Shapes)
            foreach (int steps in new[] { 1, 2, 5 })
            {
                PackedFloatLstm lstm = RandomLstm(random, input, hidden, clip: steps == 2 ? 0.9f : 0);
                float[] inputs = RandomModels.Values(random, steps * input, 2f);
                var expected = new float[steps * lstm.ProjectionLength];
                var actual = new float[steps * lstm.ProjectionLength];
                FusedFloatLstm.ProjectInputs(FloatPath.Scalar, lstm, inputs, steps, expected);
                FusedFloatLstm.ProjectInputs(path, lstm, inputs, steps, actual);
                AssertClose(expected, actual, input, $"{path} projection I={input} H={hidden} T={steps}");

                float[] h = RandomModels.Values(random, hidden, 1f), c = RandomModels.Values(random, hidden, 1.5f);
                float[] expectedH = (float[])h.Clone(), expectedC = (float[])c.Clone(), actualH = (float[])h.Clone(), actualC = (float[])c.Clone();
                FusedFloatLstm.Recur(FloatPath.Scalar, lstm, expected.AsSpan(0, lstm.ProjectionLength), expectedH, expectedC);
                FusedFloatLstm.Recur(path, lstm, actual.AsSpan(0, lstm.ProjectionLength), actualH, actualC);
                AssertClose(expectedH, actualH, hidden, $"{path} h, I={input} H={hidden}");
                AssertClose(expectedC, actualC, hidden, $"{path} c, I={input} H={hidden}");
            }
    }

    [Fact]
    public void Packing_puts_every_row_and_column_where_the_scalar_path_reads_it()
    {
        var random = new Random(22);
        const int Input = 5, Hidden = 11;
        WeightMatrix w = WeightMatrix.FromFloat(4 * Hidden, Input, RandomModels.Values(random, 4 * Hidden * Input, 1f));
        WeightMatrix r = WeightMatrix.FromFloat(4 * Hidden, Hidden, RandomModels.Values(random, 4 * Hidden * Hidden, 1f));
        var lstm = new PackedFloatLstm(w, r, new float[4 * Hidden], Hidden, 0);
        for (int column = 0; column < Input; column++)
        {
            var x = new float[Input];
            x[column] = 1;
            var projection = new float[lstm.ProjectionLength];
            FusedFloatLstm.ProjectInputs(FloatPath.Scalar, lstm, x, 1, projection);
            for (int row = 0; row < 4 * Hidden; row++)
                Assert.Equal(w.Values![row * Input + column], projection[lstm.PackedRow(row)]);
        }
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        PackedFloatLstm lstm = RandomLstm(new Random(23), 4, 4, 0);
        Assert.Throws<ArgumentException>(() => FusedFloatLstm.ProjectInputs(FloatPath.Scalar, lstm, new float[4], 2, new float[2 * lstm.ProjectionLength]));
        Assert.Throws<ArgumentException>(() => FusedFloatLstm.Recur(FloatPath.Scalar, lstm, new float[lstm.ProjectionLength], new float[3], new float[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fused_float32_cells_agree_with_the_general_cells_in_streams_and_windows(int specIndex)
    {
        ModelSpec spec = new ModelSpec[]
        {
            new(HiddenSizes: [16, 16], DenseSizes: [4]),
            new(InputSize: 3, HiddenSizes: [37, 33, 5], DenseSizes: [10, 4]),
            new(HiddenSizes: [13], Clip: 0.7f, InitialState: true, DenseSizes: [2], FinalActivation: ActivationKind.Sigmoid, HeadInput: HeadInput.FinalState),
            new(Direction: RecurrentDirection.Bidirectional, HiddenSizes: [7, 9], DenseSizes: [3]),
        }[specIndex];
        RecurrentModel model = RandomModels.Create(spec, 200 + specIndex);
        Assert.True(FusedFloatLstmCell.Supports(model.Layers[0], 0));
        float[] window = RandomModels.Values(new Random(specIndex), 23 * spec.InputSize, 2f);
        var fused = new Predictor(model);
        var general = new Predictor(model, 0, allowFusedCells: false);
        float[] expected = new float[general.OutputSize], actual = new float[fused.OutputSize];
        general.RunWindow(window, expected);
        fused.RunWindow(window, actual);
        AssertClose(expected, actual, 1, $"window, {spec}");
        if (!model.CanStream) return;
        for (int t = 0; t < 23; t++)
        {
            general.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), expected);
            fused.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), actual);
            AssertClose(expected, actual, 1, $"step {t}, {spec}");
        }
    }

    private static PackedFloatLstm RandomLstm(Random random, int input, int hidden, float clip) => new(
        WeightMatrix.FromFloat(4 * hidden, input, RandomModels.Values(random, 4 * hidden * input, 1f)),
        WeightMatrix.FromFloat(4 * hidden, hidden, RandomModels.Values(random, 4 * hidden * hidden, 1f)),
        RandomModels.Values(random, 4 * hidden, 0.5f), hidden, clip);

    /// <summary>Rounding differences only: summation order and fused multiply–add, growing with the dot length.</summary>
    private static void AssertClose(float[] expected, float[] actual, int terms, string what)
    {
        float tolerance = 1e-5f * Math.Max(1, terms);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}: index {i} is {actual[i]:R}, expected {expected[i]:R}");
    }
}
