namespace EdgeLstm.Core.Tests;

/// <summary>Comparisons of float arrays the kernel and cell tests share.</summary>
internal static class FloatAssert
{
    /// <summary>Every element has the same bits (int8 paths and the cell update promise that).</summary>
    public static void BitwiseEqual(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: index {i} is {actual[i]:R}, expected {expected[i]:R}");
        }
    }

    /// <summary>Rounding differences only: summation order and fused multiply–add, growing with the dot length.</summary>
    public static void Close(float[] expected, float[] actual, int terms, string what)
    {
        float tolerance = 1e-5f * Math.Max(1, terms);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}: index {i} is {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
