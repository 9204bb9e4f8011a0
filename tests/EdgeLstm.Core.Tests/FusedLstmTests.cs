using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests;

public class FusedLstmTests
{
    public static TheoryData<string> Paths() => new(Int8Paths.Supported.Where(FusedInt8Lstm.Implements).Select(p => p.ToString()));

    private static readonly (int Input, int Hidden)[] Shapes = [(1, 1), (8, 3), (8, 8), (3, 13), (20, 16), (33, 50), (8, 64)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_projects_inputs_exactly_as_the_scalar_path(string pathName)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        var random = new Random(11);
        foreach ((int input, int hidden) in Shapes)
            foreach (int steps in new[] { 1, 2, 5 })
            {
                PackedInt8Lstm lstm = RandomLstm(random, input, hidden, clip: 0);
                (sbyte[] inputs, byte[] biased) = RandomVectors(random, steps, input, lstm.InputStride);
                float[] scales = RandomModels.Values(random, steps, 0.05f);
                var expected = new float[steps * lstm.ProjectionLength];
                var actual = new float[steps * lstm.ProjectionLength];
                FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, scales, steps, expected);
                FusedInt8Lstm.ProjectInputs(path, lstm, inputs, biased, scales, steps, actual);
                AssertBitwiseEqual(expected, actual, $"{path} I={input} H={hidden} T={steps}");
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_advances_the_state_exactly_as_the_scalar_path(string pathName)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        var random = new Random(12);
        foreach ((int input, int hidden) in Shapes)
            foreach (float clip in new[] { 0f, 0.8f })
            {
                PackedInt8Lstm lstm = RandomLstm(random, input, hidden, clip);
                float[] projection = RandomModels.Values(random, lstm.ProjectionLength, 2f);
                (sbyte[] h, byte[] biased) = RandomVectors(random, 1, hidden, lstm.HiddenStride);
                float[] cell = RandomModels.Values(random, hidden, 1.5f);
                float[] expectedH = new float[hidden], expectedC = (float[])cell.Clone();
                float[] actualH = new float[hidden], actualC = (float[])cell.Clone();
                float[] expectedGates = (float[])projection.Clone(), actualGates = (float[])projection.Clone();
                bool backwards = clip > 0; // walking the blocks backwards changes nothing but the memory order
                FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, expectedGates, h, biased, 0.01f, expectedH, expectedC);
                FusedInt8Lstm.Recur(path, lstm, actualGates, h, biased, 0.01f, actualH, actualC, backwards);
                AssertBitwiseEqual(expectedGates, actualGates, $"{path} gates, I={input} H={hidden} clip={clip}");
                AssertBitwiseEqual(expectedH, actualH, $"{path} h, I={input} H={hidden} clip={clip}");
                AssertBitwiseEqual(expectedC, actualC, $"{path} c, I={input} H={hidden} clip={clip}");
            }
    }

    public static TheoryData<string> Widths() => new(Enum.GetValues<VectorWidth>().Where(w => w <= Elementwise.BestWidth).Select(w => w.ToString()));

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_cell_update_gives_the_same_bits_at_every_width(string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        var random = new Random(15);
        foreach ((int input, int hidden) in Shapes)
        {
            PackedInt8Lstm lstm = RandomLstm(random, input, hidden, clip: hidden % 2 == 0 ? 0 : 1.5f);
            float[] gates = RandomModels.Values(random, lstm.ProjectionLength, 6f);
            float[] cell = RandomModels.Values(random, hidden, 2f);
            float[] expectedH = new float[hidden], expectedC = (float[])cell.Clone();
            float[] actualH = new float[hidden], actualC = (float[])cell.Clone();
            FusedLstmCellUpdate.Run(lstm, gates, expectedH, expectedC, VectorWidth.Scalar);
            FusedLstmCellUpdate.Run(lstm, gates, actualH, actualC, width);
            AssertBitwiseEqual(expectedH, actualH, $"{width} h, H={hidden}");
            AssertBitwiseEqual(expectedC, actualC, $"{width} c, H={hidden}");
        }
    }

    [Fact]
    public void Packing_puts_every_row_and_column_where_the_scalar_path_reads_it()
    {
        // A one-hot input picks one column: the projection must then be that column of W, scaled, in packed order.
        var random = new Random(13);
        const int Input = 5, Hidden = 11;
        WeightMatrix w = WeightMatrix.FromFloat(4 * Hidden, Input, RandomModels.Values(random, 4 * Hidden * Input, 1f)).Quantize();
        WeightMatrix r = WeightMatrix.FromFloat(4 * Hidden, Hidden, RandomModels.Values(random, 4 * Hidden * Hidden, 1f)).Quantize();
        var lstm = new PackedInt8Lstm(w, r, new float[4 * Hidden], Hidden, 0);
        for (int column = 0; column < Input; column++)
        {
            var x = new sbyte[lstm.InputStride];
            x[column] = 1;
            var projection = new float[lstm.ProjectionLength];
            FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, x, x.Select(v => (byte)(v + 128)).ToArray(), [1f], 1, projection);
            for (int row = 0; row < 4 * Hidden; row++)
                Assert.Equal(w.Quantized![row * Input + column] * w.RowScales![row], projection[lstm.PackedRow(row)]);
        }
    }

    [Fact]
    public void Unsupported_paths_and_short_buffers_are_refused()
    {
        PackedInt8Lstm lstm = RandomLstm(new Random(14), 4, 4, 0);
        var inputs = new sbyte[lstm.InputStride];
        var biased = new byte[lstm.InputStride];
        var projection = new float[lstm.ProjectionLength];
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.ProjectInputs(Int8Path.Vector128, lstm, inputs, biased, [1f], 1, projection));
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, [1f], 2, projection));
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, projection, new sbyte[lstm.HiddenStride],
            new byte[lstm.HiddenStride], 1f, new float[3], new float[4]));
    }

    public static TheoryData<int> FusableSpecs()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < FusableModelSpecs.Length; i++) data.Add(i);
        return data;
    }

    private static readonly ModelSpec[] FusableModelSpecs =
    [
        new(HiddenSizes: [16, 16], DenseSizes: [4]),
        new(InputSize: 3, HiddenSizes: [37, 33, 5], DenseSizes: [10, 4]),
        new(HiddenSizes: [13], Clip: 0.7f, InitialState: true, DenseSizes: [2], FinalActivation: ActivationKind.Sigmoid, HeadInput: HeadInput.FinalState),
        new(Direction: RecurrentDirection.Bidirectional, HiddenSizes: [7, 9], DenseSizes: [3]),
        new(Direction: RecurrentDirection.Reverse, InputSize: 20, HiddenSizes: [24], DenseSizes: [3]),
        new(InputSize: 1, HiddenSizes: [1], DenseSizes: []),
    ];

    [Theory]
    [MemberData(nameof(FusableSpecs))]
    public void Fused_cells_give_the_general_cells_bits_in_streams_and_windows(int specIndex)
    {
        ModelSpec spec = FusableModelSpecs[specIndex];
        RecurrentModel model = RandomModels.Create(spec, 100 + specIndex).Quantize();
        var random = new Random(specIndex);
        const int Steps = 23;
        float[] window = RandomModels.Values(random, Steps * spec.InputSize, 2f);
        foreach (Int8Path path in Int8Paths.Supported.Where(FusedInt8Lstm.Implements))
        {
            var fused = new Predictor(model, 0, allowFusedCells: false);
            ReplaceCells(fused, model, path);
            var general = new Predictor(model, 0, allowFusedCells: false);
            float[] expected = new float[general.OutputSize], actual = new float[fused.OutputSize];
            general.RunWindow(window, expected);
            fused.RunWindow(window, actual);
            AssertBitwiseEqual(expected, actual, $"{path} window, {spec}");
            if (!model.CanStream) continue;
            for (int t = 0; t < Steps; t++)
            {
                general.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), expected);
                fused.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), actual);
                AssertBitwiseEqual(expected, actual, $"{path} step {t}, {spec}");
            }
        }
    }

    [Fact]
    public void Only_default_int8_lstms_without_peepholes_are_fused()
    {
        bool Fusable(ModelSpec spec, bool int8)
        {
            RecurrentModel model = RandomModels.Create(spec, 1);
            if (int8) model = model.Quantize();
            return FusedInt8LstmCell.Supports(model.Layers[0], 0);
        }
        Assert.True(Fusable(new ModelSpec(), int8: true));
        Assert.False(Fusable(new ModelSpec(), int8: false));
        Assert.False(Fusable(new ModelSpec(Peepholes: true), int8: true));
        Assert.False(Fusable(new ModelSpec(Kind: RecurrentKind.Gru), int8: true));
        Assert.False(Fusable(new ModelSpec(Activations: [ActivationKind.Sigmoid, ActivationKind.Relu, ActivationKind.Relu]), int8: true));
    }

    /// <summary>Swaps in fused cells on a chosen path (the public constructor picks the best one).</summary>
    private static void ReplaceCells(Predictor predictor, RecurrentModel model, Int8Path path)
    {
        var cells = (RecurrentCell[][])typeof(Predictor).GetField("_cells", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(predictor)!;
        for (int l = 0; l < cells.Length; l++)
            for (int d = 0; d < cells[l].Length; d++)
                cells[l][d] = new FusedInt8LstmCell(model.Layers[l], d, path);
    }

    private static PackedInt8Lstm RandomLstm(Random random, int input, int hidden, float clip)
    {
        WeightMatrix w = WeightMatrix.FromFloat(4 * hidden, input, RandomModels.Values(random, 4 * hidden * input, 1f)).Quantize();
        WeightMatrix r = WeightMatrix.FromFloat(4 * hidden, hidden, RandomModels.Values(random, 4 * hidden * hidden, 1f)).Quantize();
        return new PackedInt8Lstm(w, r, RandomModels.Values(random, 4 * hidden, 0.5f), hidden, clip);
    }

    /// <summary>Random int8 vectors (zero past <paramref name="length"/>) and their +128 forms.</summary>
    private static (sbyte[] Values, byte[] Biased) RandomVectors(Random random, int count, int length, int stride)
    {
        var values = new sbyte[count * stride];
        for (int v = 0; v < count; v++)
            for (int i = 0; i < length; i++)
                values[v * stride + i] = (sbyte)random.Next(-127, 128);
        return (values, values.Select(v => (byte)(v + 128)).ToArray());
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: index {i} is {actual[i]:R}, expected {expected[i]:R}");
    }
}
