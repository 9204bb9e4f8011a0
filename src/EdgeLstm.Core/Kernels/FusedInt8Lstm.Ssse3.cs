using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
    /// <summary>
    /// SSSE3, the x86-64-v2 baseline (the default x64 build, Atom- and Celeron-class gateways): pmaddubsw multiplies
    /// unsigned by signed bytes, so x's sign moves onto w first (psignb) and |x| is the unsigned operand. Its int16 pair
    /// sums cannot saturate (|x|, |w| ≤ 127: ≤ 32,258), so the result is exact; pmaddwd by ones then adds each unit's
    /// two pairs into int32, which leaves the four units of a half-block in order (no horizontal sums).
    /// </summary>
    private readonly struct Ssse3Kernel : IDot128
    {
        public static bool IsSupported => Ssse3.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Gates128 Dot(ref sbyte weights, int quads, ref sbyte x)
        {
            Vector128<int> i = default, o = default, f = default, g = default;
            for (int q = 0; q < quads; q++)
            {
                ref sbyte w = ref Unsafe.Add(ref weights, q * PackedInt8Lstm.QuadBytes);
                Vector128<sbyte> sign = Broadcast128(ref x, q);
                Vector128<byte> magnitude = Ssse3.Abs(sign);
                i += Products(Vector128.LoadUnsafe(ref w), sign, magnitude);
                o += Products(Vector128.LoadUnsafe(ref w, 32), sign, magnitude);
                f += Products(Vector128.LoadUnsafe(ref w, 64), sign, magnitude);
                g += Products(Vector128.LoadUnsafe(ref w, 96), sign, magnitude);
            }
            return new(i, o, f, g);
        }

        /// <summary>Two dots, one after the other: sharing the weight loads would need more than SSE's 16 registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Gates128 First, Gates128 Second) DotPair(ref sbyte weights, int quads, ref sbyte x0, ref sbyte x1) =>
            (Dot(ref weights, quads, ref x0), Dot(ref weights, quads, ref x1));

        /// <summary>Σ of each unit's four w·x (4 units × 4 columns in, 4 int32 out).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Products(Vector128<sbyte> w, Vector128<sbyte> x, Vector128<byte> magnitude) =>
            Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(magnitude, Ssse3.Sign(w, x)), Vector128<short>.One);
    }
}
