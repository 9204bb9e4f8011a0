using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>
    /// AVX2 without VNNI (x86-64-v3): the SSSE3 kernel's sign trick at 256 bits, a whole block (8 units) per gate and
    /// quad. vpsignb moves x's sign onto w, vpmaddubsw multiplies |x| (unsigned) by it into exact int16 pair sums
    /// (≤ 32,258), vpmaddwd by ones adds each unit's pairs into int32 lanes already in unit order.
    /// </summary>
    /// <remarks>
    /// It replaced sign-extending w to int16 (vpmovsxbw) and vpmaddwd with the widened inputs, which took two
    /// multiplies and two extends per 32 bytes and a horizontal add per gate at the end: see docs/performance.md.
    /// </remarks>
    private readonly struct Avx2Kernel : IX64Dot
    {
        public static bool IsSupported => Avx2.IsSupported;

        public static bool BiasedInput => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates256 Dot(ref sbyte weights, int quads, ref byte x)
        {
            Vector256<int> i = default, o = default, f = default, g = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector256<sbyte> sign = Broadcast(ref x, q);
                Vector256<byte> magnitude = Avx2.Abs(sign);
                i += Products(Vector256.LoadUnsafe(ref w), sign, magnitude);
                o += Products(Vector256.LoadUnsafe(ref w, 32), sign, magnitude);
                f += Products(Vector256.LoadUnsafe(ref w, 64), sign, magnitude);
                g += Products(Vector256.LoadUnsafe(ref w, 96), sign, magnitude);
            }
            return new(i, o, f, g);
        }

        /// <summary>Both steps in one pass: each weight load serves two sign adjustments.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates256 First, Gates256 Second) DotPair(ref sbyte weights, int quads, ref byte x0, ref byte x1)
        {
            Vector256<int> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector256<int> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector256<sbyte> a = Broadcast(ref x0, q), b = Broadcast(ref x1, q);
                Vector256<byte> aMagnitude = Avx2.Abs(a), bMagnitude = Avx2.Abs(b);
                Vector256<sbyte> wi = Vector256.LoadUnsafe(ref w);
                i0 += Products(wi, a, aMagnitude);
                i1 += Products(wi, b, bMagnitude);
                Vector256<sbyte> wo = Vector256.LoadUnsafe(ref w, 32);
                o0 += Products(wo, a, aMagnitude);
                o1 += Products(wo, b, bMagnitude);
                Vector256<sbyte> wf = Vector256.LoadUnsafe(ref w, 64);
                f0 += Products(wf, a, aMagnitude);
                f1 += Products(wf, b, bMagnitude);
                Vector256<sbyte> wg = Vector256.LoadUnsafe(ref w, 96);
                g0 += Products(wg, a, aMagnitude);
                g1 += Products(wg, b, bMagnitude);
            }
            return (new(i0, o0, f0, g0), new(i1, o1, f1, g1));
        }

        /// <summary>Σ of each unit's four w·x (8 units × 4 columns in, 8 int32 out).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> Products(Vector256<sbyte> w, Vector256<sbyte> x, Vector256<byte> magnitude) =>
            Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(w, x)), Vector256<short>.One);

        /// <summary>The quad's four signed bytes repeated across a vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<sbyte> Broadcast(ref byte x, int quad) =>
            Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref x, 4 * quad))).AsSByte();
    }
}
