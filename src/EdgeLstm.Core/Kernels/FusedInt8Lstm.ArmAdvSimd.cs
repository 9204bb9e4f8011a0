using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>
    /// Plain NEON, as on the Cortex-A72 of a Raspberry Pi 4: smull/smull2 to int16 (|w·x| ≤ 16129 fits), sadalp into
    /// int32 pairs (units 0–1 and 2–3 of the half-block apart), one addp at the end.
    /// </summary>
    private readonly struct ArmAdvSimdKernel : IArmDot
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
}
