using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>ARMv8.2 dot product (sdot), as on the Cortex-A76 of a Raspberry Pi 5.</summary>
    private readonly struct ArmDotProductKernel : IDot128
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
}
