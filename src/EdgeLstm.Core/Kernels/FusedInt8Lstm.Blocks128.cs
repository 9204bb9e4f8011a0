using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    // ---- 128-bit paths (ARM64 sdot and NEON, x64 SSSE3): signed x, each block as two halves of four units. ----

    /// <summary>A 128-bit int8 dot product over one half-block (4 units × 4 gates) of the packed layout.</summary>
    private interface IDot128
    {
        static abstract bool IsSupported { get; }

        /// <summary>One half-block's four gate sums for one input vector.</summary>
        static abstract Gates128 Dot(ref sbyte weights, int quads, ref sbyte x);

        /// <summary>The same for two input vectors (a kernel may share each weight load between them).</summary>
        static abstract (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1);
    }

    private static void ProjectInputs128<TDot>(PackedInt8Lstm lstm, ReadOnlySpan<sbyte> inputs, ReadOnlySpan<float> scales, int steps, Span<float> projection)
        where TDot : struct, IDot128
    {
        if (!TDot.IsSupported) throw new PlatformNotSupportedException();
        int quads = lstm.InputStride / 4, stride = lstm.InputStride, length = lstm.ProjectionLength;
        ref sbyte x0 = ref MemoryMarshal.GetReference(inputs);
        ref float p0 = ref MemoryMarshal.GetReference(projection);
        for (int b = 0; b < lstm.Blocks; b++)
        {
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
                {
                    StoreProjection(lstm, TDot.Dot(ref weights, quads, ref Unsafe.Add(ref x0, t * stride)), rows, scales[t],
                        ref Unsafe.Add(ref p0, t * length + rows));
                }
            }
        }
    }

    private static void AddRecurrence128<TDot>(PackedInt8Lstm lstm, Span<float> gates, ReadOnlySpan<sbyte> hidden, float hiddenScale, bool backwards)
        where TDot : struct, IDot128
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Broadcast128(ref sbyte x, int quad) =>
        Vector128.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref x, 4 * quad)))).AsSByte();

    private readonly record struct Gates128(Vector128<int> I, Vector128<int> O, Vector128<int> F, Vector128<int> G);
}
