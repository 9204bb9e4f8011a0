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
