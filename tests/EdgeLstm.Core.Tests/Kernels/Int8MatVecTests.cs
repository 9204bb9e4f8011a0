using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Tests.Kernels;

public class Int8MatVecTests
{
    private static readonly int[] Sizes = [1, 7, 16, 37, 100, 257];

    // Paths travel as names: the kernel enums are internal.
    public static TheoryData<string> PathNames() => new(Int8Paths.Supported.Select(p => p.ToString()));

    [Theory]
    [MemberData(nameof(PathNames))]
    public void Every_int8_path_returns_the_scalar_integers(string pathName)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        var random = new Random((int)path);
        foreach (int rows in Sizes)
        {
            foreach (int columns in Sizes)
            {
                foreach (int padding in new[] { 0, 5 })
                {
                    int stride = columns + padding;
                    sbyte[] matrix = RandomInt8(random, rows * stride);
                    sbyte[] vector = RandomInt8(random, columns);
                    byte[] biased = vector.Select(v => (byte)(v + 128)).ToArray();
                    int[] rowSums = Enumerable.Range(0, rows).Select(r => 128 * matrix.Skip(r * stride).Take(columns).Sum(v => v)).ToArray();
                    var expected = new int[rows];
                    var actual = new int[rows];
                    Int8MatVec.MultiplyScalar(matrix, rows, columns, stride, vector, expected);
                    Int8MatVec.Multiply(path, matrix, rows, columns, stride, vector, biased, rowSums, actual);
                    Assert.True(expected.SequenceEqual(actual), $"{path} differs at {rows}x{columns} stride {stride}");
                }
            }
        }
    }

    [Fact]
    public void Int8_scalar_path_is_the_plain_dot_product_at_the_extremes()
    {
        // 257 columns of 127·127 and of 127·-127: the accumulators must not saturate.
        sbyte[] matrix = [.. Enumerable.Repeat((sbyte)127, 257), .. Enumerable.Repeat((sbyte)-127, 257)];
        sbyte[] vector = [.. Enumerable.Repeat((sbyte)127, 257)];
        foreach (Int8Path path in Int8Paths.Supported)
        {
            var result = new int[2];
            Int8MatVec.Multiply(path, matrix, 2, 257, 257, vector, vector.Select(v => (byte)(v + 128)).ToArray(), [128 * 127 * 257, -128 * 127 * 257], result);
            Assert.Equal([127 * 127 * 257, -127 * 127 * 257], result);
        }
    }

    private static sbyte[] RandomInt8(Random random, int count)
    {
        var values = new sbyte[count];
        for (int i = 0; i < count; i++) values[i] = (sbyte)random.Next(-127, 128);
        return values;
    }
}
