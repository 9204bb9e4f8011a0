using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
    /// <summary>
    /// ARM64 NEON: smull then smlal2 into int16, so each lane holds two products (≤ 2 · 127² = 32,258: exact), then one
    /// sadalp into int32 per 16 bytes instead of two.
    /// </summary>
    public static void MultiplyArmAdvSimd(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!AdvSimd.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> a = Vector128.LoadUnsafe(ref row, (nuint)c);
                Vector128<sbyte> b = Vector128.LoadUnsafe(ref v0, (nuint)c);
                acc = AdvSimd.AddPairwiseWideningAndAdd(acc,
                    AdvSimd.MultiplyWideningUpperAndAdd(AdvSimd.MultiplyWideningLower(a.GetLower(), b.GetLower()), a, b));
            }
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }
}
