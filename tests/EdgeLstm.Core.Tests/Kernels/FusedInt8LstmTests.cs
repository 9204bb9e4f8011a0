using CsCheck;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Kernels;

public class FusedInt8LstmTests
{
    public static TheoryData<string> Paths() => new(Int8Paths.Supported.Where(FusedInt8Lstm.Implements).Select(p => p.ToString()));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_projects_inputs_exactly_as_the_scalar_path(string pathName)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        var random = new Random(11);
        foreach ((int input, int hidden) in RandomModels.PackedLstmShapes)
        {
            foreach (int steps in new[] { 1, 2, 5 })
            {
                PackedInt8Lstm lstm = RandomModels.Int8Direction(random, input, hidden, clip: 0);
                (sbyte[] inputs, byte[] biased) = RandomVectors(random, steps, input, lstm.InputStride);
                float[] scales = RandomModels.Values(random, steps, 0.05f);
                var expected = new float[steps * lstm.ProjectionLength];
                var actual = new float[steps * lstm.ProjectionLength];
                FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, scales, steps, expected);
                FusedInt8Lstm.ProjectInputs(path, lstm, inputs, biased, scales, steps, actual);
                FloatAssert.BitwiseEqual(expected, actual, $"{path} I={input} H={hidden} T={steps}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_advances_the_state_exactly_as_the_scalar_path(string pathName)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        var random = new Random(12);
        foreach ((int input, int hidden) in RandomModels.PackedLstmShapes)
        {
            foreach (float clip in new[] { 0f, 0.8f })
            {
                PackedInt8Lstm lstm = RandomModels.Int8Direction(random, input, hidden, clip);
                float[] projection = RandomModels.Values(random, lstm.ProjectionLength, 2f);
                (sbyte[] h, byte[] biased) = RandomVectors(random, 1, hidden, lstm.HiddenStride);
                float[] cell = RandomModels.Values(random, hidden, 1.5f);
                float[] expectedH = new float[hidden], expectedC = (float[])cell.Clone();
                float[] actualH = new float[hidden], actualC = (float[])cell.Clone();
                float[] expectedGates = (float[])projection.Clone(), actualGates = (float[])projection.Clone();
                bool backwards = clip > 0; // walking the blocks backwards changes nothing but the memory order
                FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, expectedGates, h, biased, 0.01f, expectedH, expectedC);
                FusedInt8Lstm.Recur(path, lstm, actualGates, h, biased, 0.01f, actualH, actualC, backwards);
                FloatAssert.BitwiseEqual(expectedGates, actualGates, $"{path} gates, I={input} H={hidden} clip={clip}");
                FloatAssert.BitwiseEqual(expectedH, actualH, $"{path} h, I={input} H={hidden} clip={clip}");
                FloatAssert.BitwiseEqual(expectedC, actualC, $"{path} c, I={input} H={hidden} clip={clip}");
            }
        }
    }

    public static TheoryData<string, string> PathsAndPatterns()
    {
        var data = new TheoryData<string, string>();
        foreach (Int8Path path in Int8Paths.Supported.Where(FusedInt8Lstm.Implements))
            foreach (string pattern in Int8MatVecTests.ExtremePatterns.Keys) data.Add(path.ToString(), pattern);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndPatterns))]
    public void Every_path_is_exact_at_the_extremes(string pathName, string pattern)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        (Func<int, sbyte> m, Func<int, sbyte> v) = Int8MatVecTests.ExtremePatterns[pattern];
        // Unit scales: each projection is then the integer dot product itself (≤ 127² · 320 < 2²⁴, exact in float32).
        foreach ((int input, int hidden) in new[] { (1, 1), (8, 8), (16, 13), (33, 24), (320, 64) })
        {
            WeightMatrix Matrix(int columns) => WeightMatrix.FromInt8(4 * hidden, columns,
                [.. Enumerable.Range(0, 4 * hidden * columns).Select(i => m(i % columns + i / columns))], [.. Enumerable.Repeat(1f, 4 * hidden)]);
            var lstm = new PackedInt8Lstm(Matrix(input), Matrix(hidden), new float[4 * hidden], hidden, clip: 0);
            foreach (int steps in new[] { 1, 2, 3 })
            {
                var inputs = new sbyte[steps * lstm.InputStride];
                for (int t = 0; t < steps; t++)
                    for (int i = 0; i < input; i++) inputs[t * lstm.InputStride + i] = v(i);
                byte[] biased = [.. inputs.Select(x => (byte)(x + 128))];
                float[] scales = [.. Enumerable.Repeat(1f, steps)];
                var expected = new float[steps * lstm.ProjectionLength];
                var actual = new float[expected.Length];
                FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, scales, steps, expected);
                FusedInt8Lstm.ProjectInputs(path, lstm, inputs, biased, scales, steps, actual);
                FloatAssert.BitwiseEqual(expected, actual, $"{path}, {pattern}: W·x, I={input} H={hidden} T={steps}");
                int unit0 = Enumerable.Range(0, input).Sum(i => m(i) * v(i));
                Assert.Equal(unit0, expected[0]);
            }

            var hiddenVector = new sbyte[lstm.HiddenStride];
            for (int i = 0; i < hidden; i++) hiddenVector[i] = v(i);
            byte[] hiddenBiased = [.. hiddenVector.Select(x => (byte)(x + 128))];
            float[] expectedGates = new float[lstm.ProjectionLength], actualGates = new float[lstm.ProjectionLength];
            float[] expectedH = new float[hidden], expectedC = new float[hidden], actualH = new float[hidden], actualC = new float[hidden];
            // A tiny hidden scale keeps the gates out of σ's and tanh's flat ends, so they still tell the sums apart.
            FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, expectedGates, hiddenVector, hiddenBiased, 1e-6f, expectedH, expectedC);
            FusedInt8Lstm.Recur(path, lstm, actualGates, hiddenVector, hiddenBiased, 1e-6f, actualH, actualC);
            FloatAssert.BitwiseEqual(expectedGates, actualGates, $"{path}, {pattern}: gates, H={hidden}");
            FloatAssert.BitwiseEqual(expectedH, actualH, $"{path}, {pattern}: h, H={hidden}");
            FloatAssert.BitwiseEqual(expectedC, actualC, $"{path}, {pattern}: c, H={hidden}");
        }
    }

    [Fact]
    public void Every_path_matches_the_scalar_path_on_random_shapes()
    {
        // Random I, H, step counts and int8 values anywhere in [-127, 127], the range a model's weights are checked to.
        Gen<(int Input, int Hidden, int Steps, int Seed)> shapes = Gen.Select(Gen.Int[1, 70], Gen.Int[1, 70], Gen.Int[1, 4], Gen.Int);
        shapes.Sample(shape =>
        {
            (int input, int hidden, int steps, int seed) = shape;
            var random = new Random(seed);
            WeightMatrix Matrix(int columns) => WeightMatrix.FromInt8(4 * hidden, columns,
                [.. Enumerable.Range(0, 4 * hidden * columns).Select(_ => (sbyte)random.Next(-127, 128))], RandomModels.Values(random, 4 * hidden, 0.01f));
            var lstm = new PackedInt8Lstm(Matrix(input), Matrix(hidden), RandomModels.Values(random, 4 * hidden, 0.5f), hidden, clip: 0);
            (sbyte[] inputs, byte[] biased) = RandomVectors(random, steps, input, lstm.InputStride);
            (sbyte[] h, byte[] hiddenBiased) = RandomVectors(random, 1, hidden, lstm.HiddenStride);
            float[] scales = RandomModels.Values(random, steps, 0.05f), cell = RandomModels.Values(random, hidden, 1.5f);
            var expected = new float[steps * lstm.ProjectionLength];
            float[] expectedH = new float[hidden], expectedC = (float[])cell.Clone();
            FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, scales, steps, expected);
            FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, expected, h, hiddenBiased, 0.02f, expectedH, expectedC);
            foreach (Int8Path path in Int8Paths.Supported.Where(p => p != Int8Path.Scalar && FusedInt8Lstm.Implements(p)))
            {
                var actual = new float[expected.Length];
                float[] actualH = new float[hidden], actualC = (float[])cell.Clone();
                FusedInt8Lstm.ProjectInputs(path, lstm, inputs, biased, scales, steps, actual);
                FusedInt8Lstm.Recur(path, lstm, actual, h, hiddenBiased, 0.02f, actualH, actualC, backwards: seed % 2 == 0);
                if (!Same(expected, actual) || !Same(expectedH, actualH) || !Same(expectedC, actualC)) return false;
            }
            return true;
        }, iter: 150);

        static bool Same(float[] a, float[] b) => a.Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.Select(BitConverter.SingleToInt32Bits));
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
        PackedInt8Lstm lstm = RandomModels.Int8Direction(new Random(14), 4, 4, 0);
        var inputs = new sbyte[lstm.InputStride];
        var biased = new byte[lstm.InputStride];
        var projection = new float[lstm.ProjectionLength];
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.ProjectInputs(Int8Path.Vector128, lstm, inputs, biased, [1f], 1, projection));
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.ProjectInputs(Int8Path.Scalar, lstm, inputs, biased, [1f], 2, projection));
        Assert.Throws<ArgumentException>(() => FusedInt8Lstm.Recur(Int8Path.Scalar, lstm, projection, new sbyte[lstm.HiddenStride],
            new byte[lstm.HiddenStride], 1f, new float[3], new float[4]));
    }

    /// <summary>Random int8 vectors (zero past <paramref name="length"/>) and their +128 forms.</summary>
    private static (sbyte[] Values, byte[] Biased) RandomVectors(Random random, int count, int length, int stride)
    {
        var values = new sbyte[count * stride];
        for (int v = 0; v < count; v++)
        {
            for (int i = 0; i < length; i++)
                values[v * stride + i] = (sbyte)random.Next(-127, 128);
        }

        return (values, values.Select(v => (byte)(v + 128)).ToArray());
    }
}
