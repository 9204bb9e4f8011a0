using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
    /// <summary>ARMv8.2 dot product (sdot), as on the Cortex-A76 of a Raspberry Pi 5.</summary>
    public static void MultiplyArmDotProduct(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Dp.IsSupported || !AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        int r = 0;
        // Four rows at a time, as in the VNNI path; addp reduces the four accumulators in two instructions.
        for (; r + 4 <= rows; r += 4)
        {
            ref sbyte row0 = ref Unsafe.Add(ref m0, r * stride);
            ref sbyte row1 = ref Unsafe.Add(ref row0, stride);
            ref sbyte row2 = ref Unsafe.Add(ref row1, stride);
            ref sbyte row3 = ref Unsafe.Add(ref row2, stride);
            Vector128<int> acc0 = Vector128<int>.Zero, acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector128<sbyte> v = Vector128.LoadUnsafe(ref v0, (nuint)c);
                acc0 = Dp.DotProduct(acc0, Vector128.LoadUnsafe(ref row0, (nuint)c), v);
                acc1 = Dp.DotProduct(acc1, Vector128.LoadUnsafe(ref row1, (nuint)c), v);
                acc2 = Dp.DotProduct(acc2, Vector128.LoadUnsafe(ref row2, (nuint)c), v);
                acc3 = Dp.DotProduct(acc3, Vector128.LoadUnsafe(ref row3, (nuint)c), v);
            }
            Vector128<int> sums = AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(acc0, acc1), AdvSimd.Arm64.AddPairwise(acc2, acc3));
            for (int k = 0; k < 4; k++)
                result[r + k] = sums.GetElement(k) + DotTail(matrix.Slice((r + k) * stride), vector, vectorEnd, columns);
        }
        for (; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector128<int> acc = Vector128<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
                acc = Dp.DotProduct(acc, Vector128.LoadUnsafe(ref row, (nuint)c), Vector128.LoadUnsafe(ref v0, (nuint)c));
            result[r] = Vector128.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }
}
