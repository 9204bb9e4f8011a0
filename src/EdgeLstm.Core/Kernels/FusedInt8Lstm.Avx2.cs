using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedInt8Lstm
{
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
}
