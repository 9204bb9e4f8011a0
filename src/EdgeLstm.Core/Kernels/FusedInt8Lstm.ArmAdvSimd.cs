using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>
    /// Plain NEON, as on the Cortex-A72 of a Raspberry Pi 4: two quads at a time, smull then smlal (smull2 then smlal2)
    /// into int16, so each int16 lane holds two products (≤ 2 · 127² = 32,258: exact), then one sadalp into int32
    /// pairs (units 0–1 and 2–3 of the half-block apart) per two quads instead of one per quad; one addp at the end.
    /// </summary>
    private readonly struct ArmAdvSimdKernel : IDot128
    {
        public static bool IsSupported => AdvSimd.Arm64.IsSupported;

        /// <remarks>Quads come in fours (columns are padded to 16), so the loop takes them in pairs.</remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates128 Dot(ref sbyte weights, int quads, ref sbyte x)
        {
            Vector128<int> i01 = default, o01 = default, f01 = default, g01 = default;
            Vector128<int> i23 = default, o23 = default, f23 = default, g23 = default;
            for (int q = 0; q < quads; q += 2)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector128<sbyte> even = Broadcast128(ref x, q), odd = Broadcast128(ref x, q + 1);
                Accumulate(ref i01, ref i23, ref w, 0, even, odd);
                Accumulate(ref o01, ref o23, ref w, 32, even, odd);
                Accumulate(ref f01, ref f23, ref w, 64, even, odd);
                Accumulate(ref g01, ref g23, ref w, 96, even, odd);
            }
            return new(Finish(i01, i23), Finish(o01, o23), Finish(f01, f23), Finish(g01, g23));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1) =>
            (Dot(ref weights, quads, ref x0), Dot(ref weights, quads, ref x1));

        /// <summary>
        /// Adds the 32 products of 4 units × 4 columns of two quads (the second one <see cref="PackedInt8Lstm.QuadBytes"/>
        /// further on): units 0–1 into <paramref name="low"/>, 2–3 into <paramref name="high"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Accumulate(ref Vector128<int> low, ref Vector128<int> high, ref sbyte w, nuint offset, Vector128<sbyte> even, Vector128<sbyte> odd)
        {
            Vector128<sbyte> w0 = Vector128.LoadUnsafe(ref w, offset), w1 = Vector128.LoadUnsafe(ref w, offset + PackedInt8Lstm.QuadBytes);
            low = AdvSimd.AddPairwiseWideningAndAdd(low,
                AdvSimd.MultiplyWideningLowerAndAdd(AdvSimd.MultiplyWideningLower(w0.GetLower(), even.GetLower()), w1.GetLower(), odd.GetLower()));
            high = AdvSimd.AddPairwiseWideningAndAdd(high,
                AdvSimd.MultiplyWideningUpperAndAdd(AdvSimd.MultiplyWideningUpper(w0, even), w1, odd));
        }

        /// <summary>[u0 c01, u0 c23, u1 c01, u1 c23] and the same for u2, u3 → [u0, u1, u2, u3].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Finish(Vector128<int> low, Vector128<int> high) => AdvSimd.Arm64.AddPairwise(low, high);
    }
}
