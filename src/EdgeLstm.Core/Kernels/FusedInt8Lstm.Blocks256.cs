using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    // ---- 256-bit x64 paths: 8 units per vector; AVX-VNNI where the CPU has it, else AVX2. ----

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
            {
                StoreProjection(lstm, TDot.Dot(ref weights, quads, ref Unsafe.Add(ref x0, t * stride)), rows, scales[t],
                    TDot.BiasedInput, ref Unsafe.Add(ref p0, t * length + rows));
            }
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
}
