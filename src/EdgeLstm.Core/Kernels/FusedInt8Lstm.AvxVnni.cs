using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>AVX-VNNI: vpdpbusd multiplies unsigned (x + 128) by signed w, 8 rows × 4 columns per instruction.</summary>
    private readonly struct AvxVnniKernel : IX64Dot
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
}
