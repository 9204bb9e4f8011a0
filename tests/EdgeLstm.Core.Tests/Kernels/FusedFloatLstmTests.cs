using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Kernels;

public class FusedFloatLstmTests
{
    public static TheoryData<string> Paths() => new(FloatPaths.Supported.Select(p => p.ToString()));

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_path_agrees_with_the_scalar_path_to_rounding(string pathName)
    {
        FloatPath path = Enum.Parse<FloatPath>(pathName);
        var random = new Random(21);
        foreach ((int input, int hidden) in RandomModels.PackedLstmShapes)
        {
            foreach (int steps in new[] { 1, 2, 5 })
            {
                PackedFloatLstm lstm = RandomLstm(random, input, hidden, clip: steps == 2 ? 0.9f : 0);
                float[] inputs = RandomModels.Values(random, steps * input, 2f);
                var expected = new float[steps * lstm.ProjectionLength];
                var actual = new float[steps * lstm.ProjectionLength];
                FusedFloatLstm.ProjectInputs(FloatPath.Scalar, lstm, inputs, steps, expected);
                FusedFloatLstm.ProjectInputs(path, lstm, inputs, steps, actual);
                FloatAssert.Close(expected, actual, input, $"{path} projection I={input} H={hidden} T={steps}");

                float[] h = RandomModels.Values(random, hidden, 1f), c = RandomModels.Values(random, hidden, 1.5f);
                float[] expectedH = (float[])h.Clone(), expectedC = (float[])c.Clone(), actualH = (float[])h.Clone(), actualC = (float[])c.Clone();
                FusedFloatLstm.Recur(FloatPath.Scalar, lstm, expected.AsSpan(0, lstm.ProjectionLength), expectedH, expectedC);
                FusedFloatLstm.Recur(path, lstm, actual.AsSpan(0, lstm.ProjectionLength), actualH, actualC);
                FloatAssert.Close(expectedH, actualH, hidden, $"{path} h, I={input} H={hidden}");
                FloatAssert.Close(expectedC, actualC, hidden, $"{path} c, I={input} H={hidden}");
            }
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

    private static PackedFloatLstm RandomLstm(Random random, int input, int hidden, float clip) => new(
        WeightMatrix.FromFloat(4 * hidden, input, RandomModels.Values(random, 4 * hidden * input, 1f)),
        WeightMatrix.FromFloat(4 * hidden, hidden, RandomModels.Values(random, 4 * hidden * hidden, 1f)),
        RandomModels.Values(random, 4 * hidden, 0.5f), hidden, clip);
}
