using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Tests.Kernels;

public class FloatMatVecTests
{
    private static readonly int[] Sizes = [1, 7, 16, 37, 100, 257];

    // Paths travel as names: the kernel enums are internal.
    public static TheoryData<string> PathNames() => new(FloatPaths.Supported.Select(p => p.ToString()));

    [Theory]
    [MemberData(nameof(PathNames))]
    public void Every_float_path_agrees_with_the_scalar_sum(string pathName)
    {
        FloatPath path = Enum.Parse<FloatPath>(pathName);
        var random = new Random(1 + (int)path);
        foreach (int rows in Sizes)
        {
            foreach (int columns in Sizes)
            {
                int stride = columns + 3;
                float[] matrix = RandomModels.Values(random, rows * stride, 1f);
                float[] vector = RandomModels.Values(random, columns, 1f);
                var expected = new float[rows];
                var actual = new float[rows];
                FloatMatVec.MultiplyScalar(matrix, rows, columns, stride, vector, expected);
                FloatMatVec.Multiply(path, matrix, rows, columns, stride, vector, actual);
                for (int r = 0; r < rows; r++)
                    Assert.True(Math.Abs(expected[r] - actual[r]) <= 1e-5f * Math.Max(1, columns), $"{path} {rows}x{columns} row {r}: {actual[r]} vs {expected[r]}");
            }
        }
    }
}
