using CsCheck;
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

    /// <summary>The int8 range's ends, where an int16 step (pmaddubsw pair sums, smlal lanes) would saturate if it could.</summary>
    public static TheoryData<string, string> PathsAndPatterns()
    {
        var data = new TheoryData<string, string>();
        foreach (Int8Path path in Int8Paths.Supported)
            foreach (string pattern in ExtremePatterns.Keys) data.Add(path.ToString(), pattern);
        return data;
    }

    /// <summary>Matrix and vector element i of each extreme pattern.</summary>
    internal static readonly Dictionary<string, (Func<int, sbyte> Matrix, Func<int, sbyte> Vector)> ExtremePatterns = new()
    {
        ["all +127"] = (_ => 127, _ => 127),
        ["all -127"] = (_ => -127, _ => -127),
        ["-127 by +127"] = (_ => -127, _ => 127),
        ["+127 by -127"] = (_ => 127, _ => -127),
        ["alternating, in phase"] = (i => (sbyte)(i % 2 == 0 ? 127 : -127), i => (sbyte)(i % 2 == 0 ? 127 : -127)),
        ["alternating, out of phase"] = (i => (sbyte)(i % 2 == 0 ? 127 : -127), i => (sbyte)(i % 2 == 0 ? -127 : 127)),
        ["alternating by +127"] = (i => (sbyte)(i % 2 == 0 ? 127 : -127), _ => 127),
        ["zeros among -127"] = (i => (sbyte)(i % 3 == 0 ? 0 : -127), i => (sbyte)(i % 5 == 0 ? 0 : -127)),
    };

    [Theory]
    [MemberData(nameof(PathsAndPatterns))]
    public void Every_int8_path_is_exact_at_the_extremes(string pathName, string pattern)
    {
        Int8Path path = Enum.Parse<Int8Path>(pathName);
        (Func<int, sbyte> m, Func<int, sbyte> v) = ExtremePatterns[pattern];
        // Every vector loop's boundary (16, 32 columns) and a row count around the four-row passes.
        foreach (int columns in new[] { 1, 15, 16, 17, 31, 32, 33, 48, 64, 257, 512 })
        {
            foreach (int rows in new[] { 1, 3, 4, 5, 9 })
            {
                int stride = columns + 3;
                var matrix = new sbyte[rows * stride];
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < columns; c++) matrix[r * stride + c] = m(c + r);
                sbyte[] vector = [.. Enumerable.Range(0, columns).Select(v)];
                var expected = new int[rows];
                var actual = new int[rows];
                Int8MatVec.MultiplyScalar(matrix, rows, columns, stride, vector, expected);
                Int8MatVec.Multiply(path, matrix, rows, columns, stride, vector, Biased(vector), RowSums(matrix, rows, columns, stride), actual);
                Assert.True(expected.SequenceEqual(actual), $"{path}, {pattern}: {rows}x{columns} gives [{string.Join(", ", actual)}], scalar [{string.Join(", ", expected)}]");
            }
        }
    }

    [Fact]
    public void Every_int8_path_returns_the_scalar_integers_on_random_shapes()
    {
        // Any shape and stride, values anywhere in [-127, 127] (the range the engine's quantization and weight checks keep).
        Gen<(int Rows, int Columns, int Padding, sbyte[] Values)> shapes = Gen.Select(Gen.Int[1, 21], Gen.Int[1, 300], Gen.Int[0, 40])
            .SelectMany((rows, columns, padding) => Gen.SByte[-127, 127].Array[rows * (columns + padding) + columns]
                .Select(values => (rows, columns, padding, values)));
        shapes.Sample(shape =>
        {
            (int rows, int columns, int padding, sbyte[] values) = shape;
            int stride = columns + padding;
            sbyte[] matrix = values[..(rows * stride)], vector = values[(rows * stride)..];
            var expected = new int[rows];
            Int8MatVec.MultiplyScalar(matrix, rows, columns, stride, vector, expected);
            foreach (Int8Path path in Int8Paths.Supported)
            {
                var actual = new int[rows];
                Int8MatVec.Multiply(path, matrix, rows, columns, stride, vector, Biased(vector), RowSums(matrix, rows, columns, stride), actual);
                if (!expected.SequenceEqual(actual)) return false;
            }
            return true;
        }, iter: 300);
    }

    private static byte[] Biased(sbyte[] vector) => [.. vector.Select(v => (byte)(v + 128))];

    private static int[] RowSums(sbyte[] matrix, int rows, int columns, int stride) =>
        [.. Enumerable.Range(0, rows).Select(r => 128 * matrix.Skip(r * stride).Take(columns).Sum(v => v))];

    private static sbyte[] RandomInt8(Random random, int count)
    {
        var values = new sbyte[count];
        for (int i = 0; i < count; i++) values[i] = (sbyte)random.Next(-127, 128);
        return values;
    }
}
