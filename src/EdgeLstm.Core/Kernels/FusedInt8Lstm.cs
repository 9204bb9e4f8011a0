using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The int8 LSTM step over <see cref="PackedInt8Lstm"/> weights, in two parts:
/// <see cref="ProjectInputs"/> computes W·xₜ (dequantized) for any number of time steps at once, reusing each
/// weight load across two steps; <see cref="Recur"/> then advances (h, c) by one step: one pass per block of
/// eight units adds R·h (four gates at once, dequantized) and the bias, and one more applies the activations
/// and the cell update. Every path computes the same integers and then the same float operations in the
/// same order as the general cell's separate passes, so all paths (and the general cell) agree to the bit.
/// </summary>
internal static class FusedInt8Lstm
{
    /// <summary>
    /// True for the paths this kernel has: every one but <see cref="Int8Path.Vector128"/>. There is no portable 128-bit
    /// fused kernel, so an x64 CPU without AVX2 runs the general cell.
    /// </summary>
    public static bool Implements(Int8Path path) => path != Int8Path.Vector128;

    /// <summary>The first of <see cref="Int8Paths.Supported"/> this kernel implements: <see cref="Int8Path.Scalar"/> on an x64 CPU without AVX2.</summary>
    public static Int8Path BestPath { get; } = Int8Paths.Supported.First(Implements);

    /// <summary>
    /// projection[t] = W·xₜ · (rowScale · scales[t]) for t in [0, steps): <paramref name="inputs"/> holds
    /// the quantized steps, <see cref="PackedInt8Lstm.InputStride"/> bytes each (zero past I), and
    /// <paramref name="biased"/> the same plus 128 (read by the VNNI path only).
    /// </summary>
    public static void ProjectInputs(Int8Path path, PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<byte> biased,
        ReadOnlySpan<float> scales, int steps, Span<float> projection)
    {
        if (steps < 0 || inputs.Length < steps * lstm.InputStride || biased.Length < steps * lstm.InputStride ||
            scales.Length < steps || projection.Length < steps * lstm.ProjectionLength)
            throw new ArgumentException("inputs, scales and projection disagree with the step count");
        switch (path)
        {
            case Int8Path.AvxVnni: ProjectInputsX64<VnniKernel>(lstm, inputs, biased, scales, steps, projection); break;
            case Int8Path.Avx2: ProjectInputsX64<Avx2Kernel>(lstm, inputs, biased, scales, steps, projection); break;
            case Int8Path.ArmDotProduct: ProjectInputsArm<SdotKernel>(lstm, inputs, scales, steps, projection); break;
            case Int8Path.ArmAdvSimd: ProjectInputsArm<NeonKernel>(lstm, inputs, scales, steps, projection); break;
            case Int8Path.Scalar: ProjectInputsScalar(lstm, inputs, scales, steps, projection); break;
            default: throw new ArgumentException($"the fused int8 LSTM has no {path} path", nameof(path));
        }
    }

    /// <summary>
    /// Advances (h, c) by one step. <paramref name="gates"/> holds W·x for this step and is overwritten with the
    /// gate pre-activations (W·x + R·h) + bias; then the cell update runs over all blocks in a second, tight pass
    /// (apart from the dot products, the blocks' long activation chains overlap in the CPU).
    /// <paramref name="hidden"/>/<paramref name="hiddenBiased"/> hold the previous h quantized with
    /// <paramref name="hiddenScale"/> (<see cref="PackedInt8Lstm.HiddenStride"/> bytes, zero past H); h and c
    /// (H values each) are overwritten. <paramref name="backwards"/> walks R's blocks last to first (same results):
    /// alternating it from step to step over a sequence starts each step on the blocks the previous one left in L1.
    /// </summary>
    public static void Recur(Int8Path path, PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden,
        ReadOnlySpan<byte> hiddenBiased, float hiddenScale, Span<float> h, Span<float> c, bool backwards = false)
    {
        if (gates.Length < lstm.ProjectionLength || hidden.Length < lstm.HiddenStride ||
            hiddenBiased.Length < lstm.HiddenStride || h.Length < lstm.Hidden || c.Length < lstm.Hidden)
            throw new ArgumentException("gates, hidden vector and state disagree with the layer");
        switch (path)
        {
            case Int8Path.AvxVnni:
                AddRecurrenceX64<VnniKernel>(lstm, gates, hidden, hiddenBiased, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, Elementwise.BestWidth);
                break;
            case Int8Path.Avx2:
                AddRecurrenceX64<Avx2Kernel>(lstm, gates, hidden, hiddenBiased, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, Elementwise.BestWidth);
                break;
            case Int8Path.ArmDotProduct:
                AddRecurrenceArm<SdotKernel>(lstm, gates, hidden, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            case Int8Path.ArmAdvSimd:
                AddRecurrenceArm<NeonKernel>(lstm, gates, hidden, hiddenScale, backwards);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Vector128);
                break;
            case Int8Path.Scalar:
                AddRecurrenceScalar(lstm, gates, hidden, hiddenScale);
                FusedLstmCellUpdate.Run(lstm, gates, h, c, VectorWidth.Scalar);
                break;
            default: throw new ArgumentException($"the fused int8 LSTM has no {path} path", nameof(path));
        }
    }

    // ---- Scalar: the reference, read straight from the packed layout. ----

    public static void ProjectInputsScalar(PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<float> scales, int steps, Span<float> projection)
    {
        int quads = lstm.InputStride / 4;
        for (int t = 0; t < steps; t++)
        {
            ReadOnlySpan<sbyte> x = inputs.Slice(t * lstm.InputStride, lstm.InputStride);
            Span<float> destination = projection.Slice(t * lstm.ProjectionLength, lstm.ProjectionLength);
            for (int row = 0; row < lstm.ProjectionLength; row++)
            {
                int acc = Dot(lstm.W, row, quads, x);
                destination[row] = acc * (lstm.WScales[row] * scales[t]);
            }
        }
    }

    public static void AddRecurrenceScalar(PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden, float hiddenScale)
    {
        int quads = lstm.HiddenStride / 4;
        for (int row = 0; row < lstm.ProjectionLength; row++)
        {
            float recurrent = Dot(lstm.R, row, quads, hidden) * (lstm.RScales[row] * hiddenScale);
            gates[row] = gates[row] + recurrent + lstm.Bias[row];
        }
    }

    /// <summary>Σ over columns of one packed row (index in [block][gate][unit] order) times x.</summary>
    private static int Dot(sbyte[] packed, int row, int quads, ReadOnlySpan<sbyte> x)
    {
        int block = row / PackedInt8Lstm.BlockRows, gateLane = row % PackedInt8Lstm.BlockRows;
        int acc = 0;
        for (int q = 0; q < quads; q++)
        {
            int offset = (block * quads + q) * PackedInt8Lstm.QuadBytes + gateLane * 4;
            for (int i = 0; i < 4; i++) acc += packed[offset + i] * x[4 * q + i];
        }
        return acc;
    }

    // ---- x64: 8 units per 256-bit vector; AVX-VNNI where the CPU has it, else AVX2. ----

    /// <summary>An x64 int8 dot product over one block (8 units × 4 gates) of the packed layout.</summary>
    private interface IX64Dot
    {
        static abstract bool IsSupported { get; }

        /// <summary>True when the kernel reads x + 128 (unsigned × signed), so its sums carry 128·Σw to remove.</summary>
        static abstract bool BiasedInput { get; }

        /// <summary>One block's four gate sums for one input vector (signed or biased bytes, see <see cref="BiasedInput"/>).</summary>
        static abstract Gates256 Dot(ref sbyte weights, int quads, ref byte x);

        /// <summary>The same for two input vectors (VNNI shares each weight load between them).</summary>
        static abstract (Gates256 First, Gates256 Second) DotPair(ref sbyte weights, int quads, ref byte x0, ref byte x1);
    }

    private static void ProjectInputsX64<TDot>(PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<byte> biased,
        ReadOnlySpan<float> scales, int steps, Span<float> projection) where TDot : struct, IX64Dot
    {
        if (!TDot.IsSupported) throw new PlatformNotSupportedException();
        int quads = lstm.InputStride / 4, stride = lstm.InputStride, length = lstm.ProjectionLength;
        ref byte x0 = ref TDot.BiasedInput ? ref MemoryMarshal.GetReference(biased) : ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(inputs));
        ref float p0 = ref MemoryMarshal.GetReference(projection);
        for (int b = 0; b < lstm.Blocks; b++)
        {
            // Block-outer, step-inner: the block's weights stay in L1 while every step reads them.
            ref sbyte weights = ref lstm.W[b * quads * PackedInt8Lstm.QuadBytes];
            int rows = b * PackedInt8Lstm.BlockRows;
            int t = 0;
            for (; t + 2 <= steps; t += 2)
            {
                (Gates256 first, Gates256 second) = TDot.DotPair(ref weights, quads,
                    ref Unsafe.Add(ref x0, t * stride), ref Unsafe.Add(ref x0, (t + 1) * stride));
                StoreProjection(lstm, first, rows, scales[t], TDot.BiasedInput, ref Unsafe.Add(ref p0, t * length + rows));
                StoreProjection(lstm, second, rows, scales[t + 1], TDot.BiasedInput, ref Unsafe.Add(ref p0, (t + 1) * length + rows));
            }
            if (t < steps)
                StoreProjection(lstm, TDot.Dot(ref weights, quads, ref Unsafe.Add(ref x0, t * stride)), rows, scales[t],
                    TDot.BiasedInput, ref Unsafe.Add(ref p0, t * length + rows));
        }
    }

    private static void AddRecurrenceX64<TDot>(PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden, ReadOnlySpan<byte> hiddenBiased,
        float hiddenScale, bool backwards) where TDot : struct, IX64Dot
    {
        if (!TDot.IsSupported) throw new PlatformNotSupportedException();
        int quads = lstm.HiddenStride / 4;
        Vector256<float> hs = Vector256.Create(hiddenScale);
        ref byte x = ref TDot.BiasedInput ? ref MemoryMarshal.GetReference(hiddenBiased) : ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetReference(hidden));
        ref float g0 = ref MemoryMarshal.GetReference(gates);
        for (int i = 0; i < lstm.Blocks; i++)
        {
            int b = backwards ? lstm.Blocks - 1 - i : i;
            Gates256 acc = TDot.Dot(ref lstm.R[b * quads * PackedInt8Lstm.QuadBytes], quads, ref x);
            int rows = b * PackedInt8Lstm.BlockRows;
            AddRecurrence(lstm, ref g0, acc.I, rows, hs, TDot.BiasedInput);
            AddRecurrence(lstm, ref g0, acc.O, rows + PackedInt8Lstm.BlockUnits, hs, TDot.BiasedInput);
            AddRecurrence(lstm, ref g0, acc.F, rows + 2 * PackedInt8Lstm.BlockUnits, hs, TDot.BiasedInput);
            AddRecurrence(lstm, ref g0, acc.G, rows + 3 * PackedInt8Lstm.BlockUnits, hs, TDot.BiasedInput);
        }
    }

    /// <summary>gates = (gates + R·h dequantized) + bias for one gate of one block, as the general cell adds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRecurrence(PackedInt8Lstm lstm, ref float gates, Vector256<int> acc, int row, Vector256<float> hiddenScale, bool biased)
    {
        Vector256<int> exact = biased ? acc - Vector256.Create<int>(lstm.RBiasedSums.AsSpan(row)) : acc;
        Vector256<float> recurrent = Vector256.ConvertToSingle(exact) * (Vector256.Create<float>(lstm.RScales.AsSpan(row)) * hiddenScale);
        (Vector256.LoadUnsafe(ref gates, (nuint)row) + recurrent + Vector256.Create<float>(lstm.Bias.AsSpan(row))).StoreUnsafe(ref gates, (nuint)row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreProjection(PackedInt8Lstm lstm, Gates256 acc, int rows, float scale, bool biased, ref float destination)
    {
        Vector256<float> vs = Vector256.Create(scale);
        Dequantize(acc.I, lstm, rows, vs, biased).StoreUnsafe(ref destination);
        Dequantize(acc.O, lstm, rows + PackedInt8Lstm.BlockUnits, vs, biased).StoreUnsafe(ref destination, PackedInt8Lstm.BlockUnits);
        Dequantize(acc.F, lstm, rows + 2 * PackedInt8Lstm.BlockUnits, vs, biased).StoreUnsafe(ref destination, 2 * PackedInt8Lstm.BlockUnits);
        Dequantize(acc.G, lstm, rows + 3 * PackedInt8Lstm.BlockUnits, vs, biased).StoreUnsafe(ref destination, 3 * PackedInt8Lstm.BlockUnits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Dequantize(Vector256<int> acc, PackedInt8Lstm lstm, int row, Vector256<float> vectorScale, bool biased) =>
        Vector256.ConvertToSingle(biased ? acc - Vector256.Create<int>(lstm.WBiasedSums.AsSpan(row)) : acc) *
        (Vector256.Create<float>(lstm.WScales.AsSpan(row)) * vectorScale);

    private readonly record struct Gates256(Vector256<int> I, Vector256<int> O, Vector256<int> F, Vector256<int> G);

    /// <summary>AVX-VNNI: vpdpbusd multiplies unsigned (x + 128) by signed w, 8 rows × 4 columns per instruction.</summary>
    private readonly struct VnniKernel : IX64Dot
    {
        public static bool IsSupported => AvxVnni.IsSupported;

        public static bool BiasedInput => true;

        /// <summary>Even and odd quads accumulate apart so eight chains run at once.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates256 Dot(ref sbyte weights, int quads, ref byte x)
        {
            Vector256<int> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector256<int> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int q = 0; q < quads; q += 2)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector256<byte> even = Broadcast(ref x, q), odd = Broadcast(ref x, q + 1);
                i0 = AvxVnni.MultiplyWideningAndAdd(i0, even, Vector256.LoadUnsafe(ref w));
                o0 = AvxVnni.MultiplyWideningAndAdd(o0, even, Vector256.LoadUnsafe(ref w, 32));
                f0 = AvxVnni.MultiplyWideningAndAdd(f0, even, Vector256.LoadUnsafe(ref w, 64));
                g0 = AvxVnni.MultiplyWideningAndAdd(g0, even, Vector256.LoadUnsafe(ref w, 96));
                i1 = AvxVnni.MultiplyWideningAndAdd(i1, odd, Vector256.LoadUnsafe(ref w, 128));
                o1 = AvxVnni.MultiplyWideningAndAdd(o1, odd, Vector256.LoadUnsafe(ref w, 160));
                f1 = AvxVnni.MultiplyWideningAndAdd(f1, odd, Vector256.LoadUnsafe(ref w, 192));
                g1 = AvxVnni.MultiplyWideningAndAdd(g1, odd, Vector256.LoadUnsafe(ref w, 224));
            }
            return new(i0 + i1, o0 + o1, f0 + f1, g0 + g1);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates256 First, Gates256 Second) DotPair(ref sbyte weights, int quads, ref byte x0, ref byte x1)
        {
            Vector256<int> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector256<int> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector256<sbyte> wi = Vector256.LoadUnsafe(ref w), wo = Vector256.LoadUnsafe(ref w, 32);
                Vector256<sbyte> wf = Vector256.LoadUnsafe(ref w, 64), wg = Vector256.LoadUnsafe(ref w, 96);
                Vector256<byte> a = Broadcast(ref x0, q), b = Broadcast(ref x1, q);
                i0 = AvxVnni.MultiplyWideningAndAdd(i0, a, wi);
                o0 = AvxVnni.MultiplyWideningAndAdd(o0, a, wo);
                f0 = AvxVnni.MultiplyWideningAndAdd(f0, a, wf);
                g0 = AvxVnni.MultiplyWideningAndAdd(g0, a, wg);
                i1 = AvxVnni.MultiplyWideningAndAdd(i1, b, wi);
                o1 = AvxVnni.MultiplyWideningAndAdd(o1, b, wo);
                f1 = AvxVnni.MultiplyWideningAndAdd(f1, b, wf);
                g1 = AvxVnni.MultiplyWideningAndAdd(g1, b, wg);
            }
            return (new(i0, o0, f0, g0), new(i1, o1, f1, g1));
        }

        /// <summary>Four activation bytes (one quad) repeated across a vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<byte> Broadcast(ref byte x, int quad) =>
            Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref x, 4 * quad))).AsByte();
    }

    /// <summary>
    /// AVX2 without VNNI (x86-64-v3): each 16-byte half of a gate's group (4 units × 4 columns) sign-extended to int16
    /// (vpmovsxbw; |w·x| ≤ 16129 fits), multiplied with the 4 broadcast inputs and added in pairs (vpmaddwd), one
    /// horizontal add and a lane permute per gate at the end.
    /// </summary>
    private readonly struct Avx2Kernel : IX64Dot
    {
        public static bool IsSupported => Avx2.IsSupported;

        public static bool BiasedInput => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates256 Dot(ref sbyte weights, int quads, ref byte x)
        {
            Vector256<int> i03 = default, o03 = default, f03 = default, g03 = default;
            Vector256<int> i47 = default, o47 = default, f47 = default, g47 = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector256<short> v = BroadcastWidened(ref x, q);
                Accumulate(ref i03, ref i47, ref w, 0, v);
                Accumulate(ref o03, ref o47, ref w, 32, v);
                Accumulate(ref f03, ref f47, ref w, 64, v);
                Accumulate(ref g03, ref g47, ref w, 96, v);
            }
            return new(Finish(i03, i47), Finish(o03, o47), Finish(f03, f47), Finish(g03, g47));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates256 First, Gates256 Second) DotPair(ref sbyte weights, int quads, ref byte x0, ref byte x1) =>
            (Dot(ref weights, quads, ref x0), Dot(ref weights, quads, ref x1));

        /// <summary>Units 0–3 of the group into <paramref name="low"/> as pair sums, units 4–7 into <paramref name="high"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Accumulate(ref Vector256<int> low, ref Vector256<int> high, ref sbyte w, nuint offset, Vector256<short> x)
        {
            low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, offset)), x));
            high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, offset + 16)), x));
        }

        /// <summary>Pair sums [u0, u0, u1, u1 | u2, u2, u3, u3] and the same for u4–u7 → [u0 … u7].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> Finish(Vector256<int> low, Vector256<int> high) =>
            Avx2.Permute4x64(Avx2.HorizontalAdd(low, high).AsInt64(), 0b11_01_10_00).AsInt32();

        /// <summary>The quad's four signed bytes widened to int16 and repeated four times.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<short> BroadcastWidened(ref byte x, int quad)
        {
            Vector128<short> widened = Sse41.ConvertToVector128Int16(Vector128.CreateScalar(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref x, 4 * quad))).AsSByte());
            return Vector256.Create(widened.AsInt64().ToScalar()).AsInt16();
        }
    }

    // ---- ARM64 (signed × signed): each block as two halves of four units; sdot where the CPU has it. ----

    /// <summary>An ARM64 int8 dot product over one half-block (4 units × 4 gates) of the packed layout.</summary>
    private interface IArmDot
    {
        static abstract bool IsSupported { get; }

        /// <summary>One half-block's four gate sums for one input vector.</summary>
        static abstract Gates128 Dot(ref sbyte weights, int quads, ref sbyte x);

        /// <summary>The same for two input vectors (sdot shares each weight load between them).</summary>
        static abstract (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1);
    }

    private static void ProjectInputsArm<TDot>(PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<float> scales, int steps, Span<float> projection)
        where TDot : struct, IArmDot
    {
        if (!TDot.IsSupported) throw new PlatformNotSupportedException();
        int quads = lstm.InputStride / 4, stride = lstm.InputStride, length = lstm.ProjectionLength;
        ref sbyte x0 = ref MemoryMarshal.GetReference(inputs);
        ref float p0 = ref MemoryMarshal.GetReference(projection);
        for (int b = 0; b < lstm.Blocks; b++)
            for (int half = 0; half < 2; half++)
            {
                ref sbyte weights = ref lstm.W[b * quads * PackedInt8Lstm.QuadBytes + half * 16];
                int rows = b * PackedInt8Lstm.BlockRows + half * 4;
                int t = 0;
                for (; t + 2 <= steps; t += 2)
                {
                    (Gates128 first, Gates128 second) = TDot.DotPair(ref weights, quads,
                        ref Unsafe.Add(ref x0, t * stride), ref Unsafe.Add(ref x0, (t + 1) * stride));
                    StoreProjection(lstm, first, rows, scales[t], ref Unsafe.Add(ref p0, t * length + rows));
                    StoreProjection(lstm, second, rows, scales[t + 1], ref Unsafe.Add(ref p0, (t + 1) * length + rows));
                }
                if (t < steps)
                    StoreProjection(lstm, TDot.Dot(ref weights, quads, ref Unsafe.Add(ref x0, t * stride)), rows, scales[t],
                        ref Unsafe.Add(ref p0, t * length + rows));
            }
    }

    private static void AddRecurrenceArm<TDot>(PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden, float hiddenScale, bool backwards)
        where TDot : struct, IArmDot
    {
        if (!TDot.IsSupported) throw new PlatformNotSupportedException();
        int quads = lstm.HiddenStride / 4;
        Vector128<float> hs = Vector128.Create(hiddenScale);
        ref sbyte x = ref MemoryMarshal.GetReference(hidden);
        ref float g0 = ref MemoryMarshal.GetReference(gates);
        for (int i = 0; i < lstm.Blocks; i++)
        {
            int b = backwards ? lstm.Blocks - 1 - i : i;
            for (int half = 0; half < 2; half++)
            {
                Gates128 acc = TDot.Dot(ref lstm.R[b * quads * PackedInt8Lstm.QuadBytes + half * 16], quads, ref x);
                int rows = b * PackedInt8Lstm.BlockRows + half * 4;
                AddRecurrence(lstm, ref g0, acc.I, rows, hs);
                AddRecurrence(lstm, ref g0, acc.O, rows + PackedInt8Lstm.BlockUnits, hs);
                AddRecurrence(lstm, ref g0, acc.F, rows + 2 * PackedInt8Lstm.BlockUnits, hs);
                AddRecurrence(lstm, ref g0, acc.G, rows + 3 * PackedInt8Lstm.BlockUnits, hs);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRecurrence(PackedInt8Lstm lstm, ref float gates, Vector128<int> acc, int row, Vector128<float> hiddenScale)
    {
        Vector128<float> recurrent = Vector128.ConvertToSingle(acc) * (Vector128.Create<float>(lstm.RScales.AsSpan(row)) * hiddenScale);
        (Vector128.LoadUnsafe(ref gates, (nuint)row) + recurrent + Vector128.Create<float>(lstm.Bias.AsSpan(row))).StoreUnsafe(ref gates, (nuint)row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreProjection(PackedInt8Lstm lstm, Gates128 acc, int rows, float scale, ref float destination)
    {
        Vector128<float> vs = Vector128.Create(scale);
        Dequantize(acc.I, lstm, rows, vs).StoreUnsafe(ref destination);
        Dequantize(acc.O, lstm, rows + PackedInt8Lstm.BlockUnits, vs).StoreUnsafe(ref destination, PackedInt8Lstm.BlockUnits);
        Dequantize(acc.F, lstm, rows + 2 * PackedInt8Lstm.BlockUnits, vs).StoreUnsafe(ref destination, 2 * PackedInt8Lstm.BlockUnits);
        Dequantize(acc.G, lstm, rows + 3 * PackedInt8Lstm.BlockUnits, vs).StoreUnsafe(ref destination, 3 * PackedInt8Lstm.BlockUnits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Dequantize(Vector128<int> acc, PackedInt8Lstm lstm, int row, Vector128<float> vectorScale) =>
        Vector128.ConvertToSingle(acc) * (Vector128.Create<float>(lstm.WScales.AsSpan(row)) * vectorScale);

    /// <summary>ARMv8.2 dot product (sdot), as on the Cortex-A76 of a Raspberry Pi 5.</summary>
    private readonly struct SdotKernel : IArmDot
    {
        public static bool IsSupported => Dp.IsSupported && AdvSimd.Arm64.IsSupported;

        /// <summary>One half-block's four gate sums, even and odd quads apart (eight chains).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates128 Dot(ref sbyte weights, int quads, ref sbyte x)
        {
            Vector128<int> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector128<int> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int q = 0; q < quads; q += 2)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector128<sbyte> even = Broadcast128(ref x, q), odd = Broadcast128(ref x, q + 1);
                i0 = Dp.DotProduct(i0, Vector128.LoadUnsafe(ref w), even);
                o0 = Dp.DotProduct(o0, Vector128.LoadUnsafe(ref w, 32), even);
                f0 = Dp.DotProduct(f0, Vector128.LoadUnsafe(ref w, 64), even);
                g0 = Dp.DotProduct(g0, Vector128.LoadUnsafe(ref w, 96), even);
                i1 = Dp.DotProduct(i1, Vector128.LoadUnsafe(ref w, 128), odd);
                o1 = Dp.DotProduct(o1, Vector128.LoadUnsafe(ref w, 160), odd);
                f1 = Dp.DotProduct(f1, Vector128.LoadUnsafe(ref w, 192), odd);
                g1 = Dp.DotProduct(g1, Vector128.LoadUnsafe(ref w, 224), odd);
            }
            return new(i0 + i1, o0 + o1, f0 + f1, g0 + g1);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1)
        {
            Vector128<int> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector128<int> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector128<sbyte> wi = Vector128.LoadUnsafe(ref w), wo = Vector128.LoadUnsafe(ref w, 32);
                Vector128<sbyte> wf = Vector128.LoadUnsafe(ref w, 64), wg = Vector128.LoadUnsafe(ref w, 96);
                Vector128<sbyte> a = Broadcast128(ref x0, q), b = Broadcast128(ref x1, q);
                i0 = Dp.DotProduct(i0, wi, a);
                o0 = Dp.DotProduct(o0, wo, a);
                f0 = Dp.DotProduct(f0, wf, a);
                g0 = Dp.DotProduct(g0, wg, a);
                i1 = Dp.DotProduct(i1, wi, b);
                o1 = Dp.DotProduct(o1, wo, b);
                f1 = Dp.DotProduct(f1, wf, b);
                g1 = Dp.DotProduct(g1, wg, b);
            }
            return (new(i0, o0, f0, g0), new(i1, o1, f1, g1));
        }
    }

    /// <summary>
    /// Plain NEON, as on the Cortex-A72 of a Raspberry Pi 4: smull/smull2 to int16 (|w·x| ≤ 16129 fits), sadalp into
    /// int32 pairs (units 0–1 and 2–3 of the half-block apart), one addp at the end.
    /// </summary>
    private readonly struct NeonKernel : IArmDot
    {
        public static bool IsSupported => AdvSimd.Arm64.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates128 Dot(ref sbyte weights, int quads, ref sbyte x)
        {
            Vector128<int> i01 = default, o01 = default, f01 = default, g01 = default;
            Vector128<int> i23 = default, o23 = default, f23 = default, g23 = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector128<sbyte> v = Broadcast128(ref x, q);
                Accumulate(ref i01, ref i23, Vector128.LoadUnsafe(ref w), v);
                Accumulate(ref o01, ref o23, Vector128.LoadUnsafe(ref w, 32), v);
                Accumulate(ref f01, ref f23, Vector128.LoadUnsafe(ref w, 64), v);
                Accumulate(ref g01, ref g23, Vector128.LoadUnsafe(ref w, 96), v);
            }
            return new(Finish(i01, i23), Finish(o01, o23), Finish(f01, f23), Finish(g01, g23));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1) =>
            (Dot(ref weights, quads, ref x0), Dot(ref weights, quads, ref x1));

        /// <summary>Adds the 16 products of 4 units × 4 columns: units 0–1 into <paramref name="low"/>, 2–3 into <paramref name="high"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Accumulate(ref Vector128<int> low, ref Vector128<int> high, Vector128<sbyte> w, Vector128<sbyte> x)
        {
            low = AdvSimd.AddPairwiseWideningAndAdd(low, AdvSimd.MultiplyWideningLower(w.GetLower(), x.GetLower()));
            high = AdvSimd.AddPairwiseWideningAndAdd(high, AdvSimd.MultiplyWideningUpper(w, x));
        }

        /// <summary>[u0 c01, u0 c23, u1 c01, u1 c23] and the same for u2, u3 → [u0, u1, u2, u3].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Finish(Vector128<int> low, Vector128<int> high) => AdvSimd.Arm64.AddPairwise(low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Broadcast128(ref sbyte x, int quad) =>
        Vector128.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref x, 4 * quad)))).AsSByte();

    private readonly record struct Gates128(Vector128<int> I, Vector128<int> O, Vector128<int> F, Vector128<int> G);
}
