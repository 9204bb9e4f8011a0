using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The float32 LSTM step over <see cref="PackedFloatLstm"/> weights, shaped like the int8 <see cref="FusedInt8Lstm"/>:
/// <see cref="ProjectInputs"/> computes W·xₜ for any number of steps (each weight load serving two steps), then
/// <see cref="Recur"/> adds R·h and the bias per block and runs the cell update. Paths differ in summation order and
/// in fused multiply–add, so they agree to rounding, like <see cref="FloatMatVec"/>'s.
/// </summary>
/// <remarks>
/// This file holds the dispatch, the scalar reference and the block loops; each vector width's block kernel is a
/// partial file named after its <see cref="FloatPath"/> (<c>FusedFloatLstm.Vector256.cs</c>, <c>.Vector128.cs</c>).
/// </remarks>
internal static partial class FusedFloatLstm
{
    /// <summary>The fastest path on this CPU: the first of <see cref="FloatPaths.Supported"/> (this kernel has them all).</summary>
    public static FloatPath BestPath { get; } = FloatPaths.Supported[0];

    /// <summary>projection[t] = W·xₜ for t in [0, steps); <paramref name="inputs"/> holds the steps, I values each.</summary>
    public static void ProjectInputs(FloatPath path, PackedFloatLstm lstm, ReadOnlySpan<float> inputs, int steps, Span<float> projection)
    {
        if (steps < 0 || inputs.Length < steps * lstm.Input || projection.Length < steps * lstm.ProjectionLength)
            throw new ArgumentException("inputs and projection disagree with the step count");
        switch (path)
        {
            case FloatPath.Vector256: ProjectInputs<Block256>(lstm, inputs, steps, projection); break;
            case FloatPath.Vector128: ProjectInputs<Block128>(lstm, inputs, steps, projection); break;
            default: ProjectInputsScalar(lstm, inputs, steps, projection); break;
        }
    }

    /// <summary>
    /// Advances (h, c) by one step: <paramref name="gates"/> holds W·x and becomes (W·x + R·h) + bias, read from the
    /// previous h for every block before the cell update overwrites h and c.
    /// </summary>
    public static void Recur(FloatPath path, PackedFloatLstm lstm, Span<float> gates, Span<float> h, Span<float> c)
    {
        if (gates.Length < lstm.ProjectionLength || h.Length < lstm.Hidden || c.Length < lstm.Hidden)
            throw new ArgumentException("gates and state disagree with the layer");
        switch (path)
        {
            case FloatPath.Vector256:
                AddRecurrence<Block256>(lstm, gates, h);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, Elementwise.BestWidth);
                break;
            case FloatPath.Vector128:
                AddRecurrence<Block128>(lstm, gates, h);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            default:
                AddRecurrenceScalar(lstm, gates, h);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Scalar);
                break;
        }
    }

    public static void ProjectInputsScalar(PackedFloatLstm lstm, ReadOnlySpan<float> inputs, int steps, Span<float> projection)
    {
        for (int t = 0; t < steps; t++)
        {
            for (int row = 0; row < lstm.ProjectionLength; row++)
                projection[t * lstm.ProjectionLength + row] = Dot(lstm.W, row, lstm.Input, inputs.Slice(t * lstm.Input, lstm.Input));
        }
    }

    public static void AddRecurrenceScalar(PackedFloatLstm lstm, Span<float> gates, ReadOnlySpan<float> h)
    {
        for (int row = 0; row < lstm.ProjectionLength; row++)
            gates[row] = gates[row] + Dot(lstm.R, row, lstm.Hidden, h) + lstm.Bias[row];
    }

    /// <summary>Σ over columns of one packed row ([block][gate][unit] index) times x.</summary>
    private static float Dot(float[] packed, int row, int columns, ReadOnlySpan<float> x)
    {
        int block = row / PackedLstmLayout.BlockRows, gateLane = row % PackedLstmLayout.BlockRows;
        float acc = 0;
        for (int c = 0; c < columns; c++)
            acc += packed[(block * columns + c) * PackedLstmLayout.BlockRows + gateLane] * x[c];
        return acc;
    }

    private static void ProjectInputs<TBlock>(PackedFloatLstm lstm, ReadOnlySpan<float> inputs, int steps, Span<float> projection)
        where TBlock : struct, IFloatBlock
    {
        if (!TBlock.IsSupported) throw new PlatformNotSupportedException();
        int columns = lstm.Input, length = lstm.ProjectionLength;
        ref float x0 = ref MemoryMarshal.GetReference(inputs);
        ref float p0 = ref MemoryMarshal.GetReference(projection);
        for (int b = 0; b < lstm.Blocks; b++)
        {
            // Block-outer, step-inner: the block's weights stay in L1 while every step reads them.
            ref float weights = ref lstm.W[b * columns * PackedLstmLayout.BlockRows];
            ref float rows = ref Unsafe.Add(ref p0, b * PackedLstmLayout.BlockRows);
            int t = 0;
            for (; t + 2 <= steps; t += 2)
            {
                TBlock.DotPair(ref weights, columns, ref Unsafe.Add(ref x0, t * columns), ref Unsafe.Add(ref x0, (t + 1) * columns),
                    ref Unsafe.Add(ref rows, t * length), ref Unsafe.Add(ref rows, (t + 1) * length));
            }

            if (t < steps)
                TBlock.Dot(ref weights, columns, ref Unsafe.Add(ref x0, t * columns), ref Unsafe.Add(ref rows, t * length), addTo: false);
        }
    }

    private static void AddRecurrence<TBlock>(PackedFloatLstm lstm, Span<float> gates, ReadOnlySpan<float> h)
        where TBlock : struct, IFloatBlock
    {
        if (!TBlock.IsSupported) throw new PlatformNotSupportedException();
        int columns = lstm.Hidden;
        ref float x = ref MemoryMarshal.GetReference(h);
        ref float g0 = ref MemoryMarshal.GetReference(gates);
        for (int b = 0; b < lstm.Blocks; b++)
        {
            ref float destination = ref Unsafe.Add(ref g0, b * PackedLstmLayout.BlockRows);
            TBlock.Dot(ref lstm.R[b * columns * PackedLstmLayout.BlockRows], columns, ref x, ref destination, addTo: true);
            TBlock.AddBias(ref destination, ref lstm.Bias[b * PackedLstmLayout.BlockRows]);
        }
    }

    /// <summary>One block's four gates (32 rows) against one or two input vectors, at one vector width.</summary>
    private interface IFloatBlock
    {
        static abstract bool IsSupported { get; }

        /// <summary>destination[0..32) = (addTo ? destination : 0) + Σc weights[c]·x[c].</summary>
        static abstract void Dot(ref float weights, int columns, ref float x, ref float destination, bool addTo);

        /// <summary>Two input vectors at once, each weight load serving both.</summary>
        static abstract void DotPair(ref float weights, int columns, ref float x0, ref float x1, ref float destination0, ref float destination1);

        /// <summary>destination[0..32) = destination + bias, as the general cell adds it (after W·x + R·h).</summary>
        static abstract void AddBias(ref float destination, ref float bias);
    }
}
