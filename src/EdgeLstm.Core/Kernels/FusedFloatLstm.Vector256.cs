using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedFloatLstm
{
    /// <summary>One block's four gates as four 256-bit vectors of 8 units; fused multiply–add on x64 CPUs with FMA.</summary>
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
}
