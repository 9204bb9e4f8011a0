using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// The cell-update pass of both fused LSTM kernels (<see cref="FusedInt8Lstm"/>, <see cref="FusedFloatLstm"/>): c and h
/// from the gate pre-activations in the <see cref="PackedLstmLayout"/> order the two share, through
/// <see cref="LstmCellOperator"/>, so the int8 and float32 cells update their state with the same code.
/// </summary>
internal static class FusedLstmCellUpdate
{
    /// <summary>
    /// The cell update over every block, from the pre-activations in [block][gate][unit] order, at the given
    /// width (lane-wise, so every width gives the same bits). Lanes past H are computed and not stored.
    /// </summary>
    public static void Run(PackedLstmLayout lstm, ReadOnlySpan<float> gates, Span<float> h, Span<float> c, VectorWidth width)
    {
        const int Units = PackedLstmLayout.BlockUnits;
        int hidden = lstm.Hidden;
        if (gates.Length < lstm.ProjectionLength || h.Length < hidden || c.Length < hidden)
            throw new ArgumentException("gates and state disagree with the layer");
        var cell = new LstmCellOperator(lstm.Clip);
        int fullBlocks = hidden / Units;
        ref float g0 = ref MemoryMarshal.GetReference(gates);
        ref float h0 = ref MemoryMarshal.GetReference(h);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        int b = 0;
        if (width.Runs512())
        {
            for (; b + 2 <= fullBlocks; b += 2)
            {
                ref float pre = ref Unsafe.Add(ref g0, b * PackedLstmLayout.BlockRows);
                (Vector512<float> newCell, Vector512<float> newHidden) = cell.Invoke(
                    LoadBlockPair(ref pre, 0), LoadBlockPair(ref pre, Units), LoadBlockPair(ref pre, 2 * Units),
                    LoadBlockPair(ref pre, 3 * Units), Vector512.LoadUnsafe(ref c0, (nuint)(b * Units)));
                newCell.StoreUnsafe(ref c0, (nuint)(b * Units));
                newHidden.StoreUnsafe(ref h0, (nuint)(b * Units));
            }
        }

        if (width.Runs256())
        {
            for (; b < fullBlocks; b++)
            {
                ref float pre = ref Unsafe.Add(ref g0, b * PackedLstmLayout.BlockRows);
                (Vector256<float> newCell, Vector256<float> newHidden) = cell.Invoke(
                    Vector256.LoadUnsafe(ref pre), Vector256.LoadUnsafe(ref pre, Units),
                    Vector256.LoadUnsafe(ref pre, 2 * Units), Vector256.LoadUnsafe(ref pre, 3 * Units),
                    Vector256.LoadUnsafe(ref c0, (nuint)(b * Units)));
                newCell.StoreUnsafe(ref c0, (nuint)(b * Units));
                newHidden.StoreUnsafe(ref h0, (nuint)(b * Units));
            }
        }

        if (width >= VectorWidth.Vector128)
        {
            for (; b < fullBlocks; b++)
            {
                for (int half = 0; half < Units; half += 4)
                {
                    ref float pre = ref Unsafe.Add(ref g0, b * PackedLstmLayout.BlockRows + half);
                    (Vector128<float> newCell, Vector128<float> newHidden) = cell.Invoke(
                        Vector128.LoadUnsafe(ref pre), Vector128.LoadUnsafe(ref pre, Units),
                        Vector128.LoadUnsafe(ref pre, 2 * Units), Vector128.LoadUnsafe(ref pre, 3 * Units),
                        Vector128.LoadUnsafe(ref c0, (nuint)(b * Units + half)));
                    newCell.StoreUnsafe(ref c0, (nuint)(b * Units + half));
                    newHidden.StoreUnsafe(ref h0, (nuint)(b * Units + half));
                }
            }
        }
        // Scalar: the remaining units, including a last partial block.
        for (int unit = b * Units; unit < hidden; unit++)
        {
            int row = unit / Units * PackedLstmLayout.BlockRows + unit % Units;
            (c[unit], h[unit]) = cell.Invoke(gates[row], gates[row + Units], gates[row + 2 * Units], gates[row + 3 * Units], c[unit]);
        }
    }

    /// <summary>One gate of two consecutive blocks (16 units), whose rows lie one block apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LoadBlockPair(ref float pre, int offset) =>
        Vector512.Create(Vector256.LoadUnsafe(ref pre, (nuint)offset), Vector256.LoadUnsafe(ref pre, (nuint)(offset + PackedLstmLayout.BlockRows)));
}
