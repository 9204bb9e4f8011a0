using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The float32 LSTM step over <see cref="PackedFloatLstm"/> weights, shaped like the int8 <see cref="FusedInt8Lstm"/>:
/// <see cref="ProjectInputs"/> computes W·xₜ for any number of steps (each weight load serving two steps), then
/// <see cref="Recur"/> adds R·h and the bias per block and runs the cell update. Paths differ in summation order and
/// in fused multiply–add, so they agree to rounding, like <see cref="FloatMatVec"/>'s.
/// </summary>
internal static class FusedFloatLstm
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
            for (int row = 0; row < lstm.ProjectionLength; row++)
                projection[t * lstm.ProjectionLength + row] = Dot(lstm.W, row, lstm.Input, inputs.Slice(t * lstm.Input, lstm.Input));
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
                TBlock.DotPair(ref weights, columns, ref Unsafe.Add(ref x0, t * columns), ref Unsafe.Add(ref x0, (t + 1) * columns),
                    ref Unsafe.Add(ref rows, t * length), ref Unsafe.Add(ref rows, (t + 1) * length));
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

    private readonly struct Block256 : IFloatBlock
    {
        public static bool IsSupported => Vector256.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Dot(ref float weights, int columns, ref float x, ref float destination, bool addTo)
        {
            // Even and odd columns accumulate apart: eight chains, enough to keep two FMA pipes busy.
            Vector256<float> i = default, o = default, f = default, g = default;
            Vector256<float> i1 = default, o1 = default, f1 = default, g1 = default;
            int c = 0;
            for (; c + 2 <= columns; c += 2)
            {
                ref float w = ref Unsafe.Add(ref weights, c * PackedLstmLayout.BlockRows);
                Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, c)), u = Vector256.Create(Unsafe.Add(ref x, c + 1));
                i = MultiplyAdd(Vector256.LoadUnsafe(ref w), v, i);
                o = MultiplyAdd(Vector256.LoadUnsafe(ref w, 8), v, o);
                f = MultiplyAdd(Vector256.LoadUnsafe(ref w, 16), v, f);
                g = MultiplyAdd(Vector256.LoadUnsafe(ref w, 24), v, g);
                i1 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 32), u, i1);
                o1 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 40), u, o1);
                f1 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 48), u, f1);
                g1 = MultiplyAdd(Vector256.LoadUnsafe(ref w, 56), u, g1);
            }
            if (c < columns)
            {
                ref float w = ref Unsafe.Add(ref weights, c * PackedLstmLayout.BlockRows);
                Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, c));
                i = MultiplyAdd(Vector256.LoadUnsafe(ref w), v, i);
                o = MultiplyAdd(Vector256.LoadUnsafe(ref w, 8), v, o);
                f = MultiplyAdd(Vector256.LoadUnsafe(ref w, 16), v, f);
                g = MultiplyAdd(Vector256.LoadUnsafe(ref w, 24), v, g);
            }
            (i, o, f, g) = (i + i1, o + o1, f + f1, g + g1);
            if (addTo)
            {
                i = Vector256.LoadUnsafe(ref destination) + i;
                o = Vector256.LoadUnsafe(ref destination, 8) + o;
                f = Vector256.LoadUnsafe(ref destination, 16) + f;
                g = Vector256.LoadUnsafe(ref destination, 24) + g;
            }
            i.StoreUnsafe(ref destination);
            o.StoreUnsafe(ref destination, 8);
            f.StoreUnsafe(ref destination, 16);
            g.StoreUnsafe(ref destination, 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void DotPair(ref float weights, int columns, ref float x0, ref float x1, ref float destination0, ref float destination1)
        {
            Vector256<float> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector256<float> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int c = 0; c < columns; c++)
            {
                ref float w = ref Unsafe.Add(ref weights, c * PackedLstmLayout.BlockRows);
                Vector256<float> wi = Vector256.LoadUnsafe(ref w), wo = Vector256.LoadUnsafe(ref w, 8);
                Vector256<float> wf = Vector256.LoadUnsafe(ref w, 16), wg = Vector256.LoadUnsafe(ref w, 24);
                Vector256<float> a = Vector256.Create(Unsafe.Add(ref x0, c)), b = Vector256.Create(Unsafe.Add(ref x1, c));
                i0 = MultiplyAdd(wi, a, i0); o0 = MultiplyAdd(wo, a, o0); f0 = MultiplyAdd(wf, a, f0); g0 = MultiplyAdd(wg, a, g0);
                i1 = MultiplyAdd(wi, b, i1); o1 = MultiplyAdd(wo, b, o1); f1 = MultiplyAdd(wf, b, f1); g1 = MultiplyAdd(wg, b, g1);
            }
            i0.StoreUnsafe(ref destination0); o0.StoreUnsafe(ref destination0, 8); f0.StoreUnsafe(ref destination0, 16); g0.StoreUnsafe(ref destination0, 24);
            i1.StoreUnsafe(ref destination1); o1.StoreUnsafe(ref destination1, 8); f1.StoreUnsafe(ref destination1, 16); g1.StoreUnsafe(ref destination1, 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddBias(ref float destination, ref float bias)
        {
            for (int k = 0; k < PackedLstmLayout.BlockRows; k += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref destination, (nuint)k) + Vector256.LoadUnsafe(ref bias, (nuint)k)).StoreUnsafe(ref destination, (nuint)k);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    }

    private readonly struct Block128 : IFloatBlock
    {
        public static bool IsSupported => Vector128.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Dot(ref float weights, int columns, ref float x, ref float destination, bool addTo)
        {
            // Eight accumulators: the 4 gates × the block's two halves of 4 units.
            Vector128<float> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector128<float> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int c = 0; c < columns; c++)
            {
                ref float w = ref Unsafe.Add(ref weights, c * PackedLstmLayout.BlockRows);
                Vector128<float> v = Vector128.Create(Unsafe.Add(ref x, c));
                i0 = MultiplyAdd(Vector128.LoadUnsafe(ref w), v, i0); i1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 4), v, i1);
                o0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 8), v, o0); o1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 12), v, o1);
                f0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 16), v, f0); f1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 20), v, f1);
                g0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 24), v, g0); g1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 28), v, g1);
            }
            Store(ref destination, 0, i0, addTo); Store(ref destination, 4, i1, addTo);
            Store(ref destination, 8, o0, addTo); Store(ref destination, 12, o1, addTo);
            Store(ref destination, 16, f0, addTo); Store(ref destination, 20, f1, addTo);
            Store(ref destination, 24, g0, addTo); Store(ref destination, 28, g1, addTo);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void DotPair(ref float weights, int columns, ref float x0, ref float x1, ref float destination0, ref float destination1)
        {
            Dot(ref weights, columns, ref x0, ref destination0, addTo: false);
            Dot(ref weights, columns, ref x1, ref destination1, addTo: false);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddBias(ref float destination, ref float bias)
        {
            for (int k = 0; k < PackedLstmLayout.BlockRows; k += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref destination, (nuint)k) + Vector128.LoadUnsafe(ref bias, (nuint)k)).StoreUnsafe(ref destination, (nuint)k);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(ref float destination, nuint offset, Vector128<float> value, bool addTo) =>
            (addTo ? Vector128.LoadUnsafe(ref destination, offset) + value : value).StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
            AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    }
}
