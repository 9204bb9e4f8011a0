using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Tests.Kernels;

public class ElementwiseTests
{
    private static readonly int[] Sizes = [1, 7, 16, 37, 100, 257];

    public static TheoryData<string> Widths() => new(Enum.GetValues<VectorWidth>().Where(w => w <= Elementwise.BestWidth).Select(w => w.ToString()));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Element_wise_operators_are_bit_identical_at_every_width(string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        float[] x = [.. RandomModels.Values(new Random(9), 257, 12f), -200f, 200f, 0f, -0f, 1e-30f, 88.5f, -88.5f];
        AssertSameAsScalar(default(ExpOperator), x, width);
        AssertSameAsScalar(default(SigmoidOperator), x, width);
        AssertSameAsScalar(default(TanhOperator), x, width);
        AssertSameAsScalar(default(ReluOperator), x, width);
        AssertSameAsScalar(new ClipOperator(0.75f), x, width);
        AssertSameAsScalar(default(OneMinusOperator), x, width);

        float[] y = RandomModels.Values(new Random(10), x.Length, 3f);
        foreach (IBinaryOperator op in new IBinaryOperator[] { default(AddOperator), default(MultiplyOperator) })
        {
            var expected = new float[x.Length];
            var actual = new float[x.Length];
            if (op is AddOperator add) { Elementwise.Apply(add, x, y, expected, VectorWidth.Scalar); Elementwise.Apply(add, x, y, actual, width); }
            else { var mul = (MultiplyOperator)op; Elementwise.Apply(mul, x, y, expected, VectorWidth.Scalar); Elementwise.Apply(mul, x, y, actual, width); }
            Assert.Equal(expected, actual);
        }

        float[] z = RandomModels.Values(new Random(11), x.Length, 3f);
        AssertTernarySameAsScalar(default(AddAddOperator), x, y, z, width);
        AssertTernarySameAsScalar(default(AddMultiplyOperator), x, y, z, width);
        var gatedExpected = new float[x.Length];
        var gatedActual = new float[x.Length];
        Elementwise.Apply(default(GatedActivationOperator<TanhOperator>), y, x, gatedExpected, VectorWidth.Scalar);
        Elementwise.Apply(default(GatedActivationOperator<TanhOperator>), y, x, gatedActual, width);
        Assert.Equal(gatedExpected, gatedActual);
    }

    private static void AssertTernarySameAsScalar<TOp>(TOp op, float[] x, float[] y, float[] z, VectorWidth width) where TOp : struct, ITernaryOperator
    {
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        Elementwise.Apply(op, x, y, z, expected, VectorWidth.Scalar);
        Elementwise.Apply(op, x, y, z, actual, width);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Quantize_and_dequantize_are_bit_identical_at_every_width(string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        foreach (int n in Sizes)
        {
            float[] x = RandomModels.Values(new Random(n), n, 3f);
            var q0 = new sbyte[n]; var b0 = new byte[n];
            var q1 = new sbyte[n]; var b1 = new byte[n];
            float s0 = Elementwise.Quantize(x, q0, b0, VectorWidth.Scalar);
            float s1 = Elementwise.Quantize(x, q1, b1, width);
            Assert.Equal(s0, s1);
            Assert.Equal(q0, q1);
            Assert.Equal(b0, b1);
            Assert.Equal(x.Max(MathF.Abs), Elementwise.MaxAbs(x, width));
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(q0[i] + 128, b0[i]);
                Assert.True(Math.Abs(q0[i] * s0 - x[i]) <= s0 / 2 + 1e-6f, $"element {i}: {q0[i]}·{s0} vs {x[i]}");
            }
            int[] acc = Enumerable.Range(0, n).Select(i => (i * 7919) % 20001 - 10000).ToArray();
            float[] scales = RandomModels.Values(new Random(n + 1), n, 0.01f).Select(MathF.Abs).ToArray();
            var d0 = new float[n]; var d1 = new float[n];
            Elementwise.Dequantize(acc, scales, 0.5f, d0, VectorWidth.Scalar);
            Elementwise.Dequantize(acc, scales, 0.5f, d1, width);
            Assert.Equal(d0, d1);
        }
    }

    [Fact]
    public void Quantizing_zeros_gives_a_zero_scale()
    {
        var q = new sbyte[5]; var b = new byte[5];
        Assert.Equal(0f, Elementwise.Quantize(new float[5], q, b, Elementwise.BestWidth));
        Assert.All(q, v => Assert.Equal(0, v));
        Assert.All(b, v => Assert.Equal(128, v));
    }

    private static void AssertSameAsScalar<TOp>(TOp op, float[] x, VectorWidth width) where TOp : struct, IUnaryOperator
    {
        var expected = new float[x.Length];
        var actual = new float[x.Length];
        Elementwise.Apply(op, x, expected, VectorWidth.Scalar);
        Elementwise.Apply(op, x, actual, width);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{typeof(TOp).Name} at {width}: x={x[i]} gives {actual[i]}, scalar {expected[i]}");
        }
    }
}
