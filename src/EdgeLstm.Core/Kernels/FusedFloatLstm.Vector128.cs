using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class FusedFloatLstm
{
    /// <summary>One block's four gates as eight 128-bit vectors of 4 units; fused multiply–add on ARM64 and on x64 with FMA.</summary>
    private readonly struct Block128 : IFloatBlock
    {
        public static bool IsSupported => Vector128.IsHardwareAccelerated;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Dot(ref float weights, int columns, ref float x, ref float destination, bool addTo)
        {
            // Eight accumulators: the 4 gates × the block's two halves of 4 units.
            Vector128<float> i0 = default, o0 = default, f0 = default, g0 = default;
            Vector128<float> i1 = default, o1 = default, f1 = default, g1 = default;
            for (int c = 0; c < columns; c++)
            {
                ref float w = ref Unsafe.Add(ref weights, c * PackedLstmLayout.BlockRows);
                Vector128<float> v = Vector128.Create(Unsafe.Add(ref x, c));
                i0 = MultiplyAdd(Vector128.LoadUnsafe(ref w), v, i0); i1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 4), v, i1);
                o0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 8), v, o0); o1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 12), v, o1);
                f0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 16), v, f0); f1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 20), v, f1);
                g0 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 24), v, g0); g1 = MultiplyAdd(Vector128.LoadUnsafe(ref w, 28), v, g1);
            }
            Store(ref destination, 0, i0, addTo); Store(ref destination, 4, i1, addTo);
            Store(ref destination, 8, o0, addTo); Store(ref destination, 12, o1, addTo);
            Store(ref destination, 16, f0, addTo); Store(ref destination, 20, f1, addTo);
            Store(ref destination, 24, g0, addTo); Store(ref destination, 28, g1, addTo);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void DotPair(ref float weights, int columns, ref float x0, ref float x1, ref float destination0, ref float destination1)
        {
            Dot(ref weights, columns, ref x0, ref destination0, addTo: false);
            Dot(ref weights, columns, ref x1, ref destination1, addTo: false);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddBias(ref float destination, ref float bias)
        {
            for (int k = 0; k < PackedLstmLayout.BlockRows; k += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref destination, (nuint)k) + Vector128.LoadUnsafe(ref bias, (nuint)k)).StoreUnsafe(ref destination, (nuint)k);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(ref float destination, nuint offset, Vector128<float> value, bool addTo) =>
            (addTo ? Vector128.LoadUnsafe(ref destination, offset) + value : value).StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
            AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    }
}
