using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLstm.Core.Kernels;

internal static partial class Int8MatVec
{
    /// <summary>x64 AVX2: sign-extend 16 bytes to int16 (vpmovsxbw), multiply and add pairs to int32 (vpmaddwd).</summary>
    public static void MultiplyAvx2(ReadOnlySpan<sbyte> matrix, int rows, int columns, int stride,
        ReadOnlySpan<sbyte> vector, Span<int> result)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException();
        ref sbyte m0 = ref MemoryMarshal.GetReference(matrix);
        ref sbyte v0 = ref MemoryMarshal.GetReference(vector);
        int vectorEnd = columns - columns % Vector128<sbyte>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref m0, r * stride);
            Vector256<int> acc = Vector256<int>.Zero;
            for (int c = 0; c < vectorEnd; c += Vector128<sbyte>.Count)
            {
                Vector256<short> a = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)c));
                Vector256<short> b = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref v0, (nuint)c));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a, b));
            }
            result[r] = Vector256.Sum(acc) + DotTail(matrix.Slice(r * stride), vector, vectorEnd, columns);
        }
    }
}
