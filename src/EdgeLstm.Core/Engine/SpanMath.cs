using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Engine;

/// <summary>Short names for the element-wise operations the cells use, at the CPU's best width.</summary>
internal static class SpanMath
{
    /// <summary>destination = x + y.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        Elementwise.Apply(default(AddOperator), x, y, destination, Elementwise.BestWidth);

    /// <summary>destination = x · y.</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) =>
        Elementwise.Apply(default(MultiplyOperator), x, y, destination, Elementwise.BestWidth);

    /// <summary>destination = (x + y) + z.</summary>
    public static void AddAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination) =>
        Elementwise.Apply(default(AddAddOperator), x, y, z, destination, Elementwise.BestWidth);

    /// <summary>destination = x + y · z.</summary>
    public static void AddMultiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> destination) =>
        Elementwise.Apply(default(AddMultiplyOperator), x, y, z, destination, Elementwise.BestWidth);

    /// <summary>destination = 1 − x.</summary>
    public static void OneMinus(ReadOnlySpan<float> x, Span<float> destination) =>
        Elementwise.Apply(default(OneMinusOperator), x, destination, Elementwise.BestWidth);
}
