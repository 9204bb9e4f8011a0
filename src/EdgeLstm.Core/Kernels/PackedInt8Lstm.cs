using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// One int8 LSTM direction with its weights packed for <see cref="FusedInt8Lstm"/>: hidden units in blocks of
/// <see cref="PackedLstmLayout.BlockUnits"/>, and for each block and each group of four columns, the four gates' 8 × 4 bytes
/// side by side (<c>[block][quad][gate][unit][4]</c>). One 32-byte load then feeds one dot-product
/// instruction that accumulates eight rows at once against four broadcast activation bytes, so no
/// horizontal sums are needed, and a block's four gates come out together, ready for the cell update.
/// Per-row values (scales, 128·row sums, biases) follow the same <c>[block][gate][unit]</c> order.
/// Units past H and columns past I or H are zero, so padded lanes compute harmless zeros.
/// </summary>
internal sealed class PackedInt8Lstm : PackedLstmLayout
{
    /// <summary>Bytes of one [gate][unit][4] group: a block's weights for one quad of columns.</summary>
    public const int QuadBytes = Gates * BlockUnits * 4;

    /// <summary>Column counts are padded to this so activation vectors can be read 16 bytes at a time.</summary>
    public const int ColumnAlignment = 16;

    /// <summary>Packs W, R and the combined bias of one LSTM direction whose W and R are int8.</summary>
    public PackedInt8Lstm(WeightMatrix w, WeightMatrix r, ReadOnlySpan<float> bias, int hidden, float clip)
        : base(w.Columns, hidden, clip, bias)
    {
        if (w.Quantized is null || r.Quantized is null) throw new ArgumentException("the fused int8 LSTM needs int8 weights");
        InputStride = Pad(Input);
        HiddenStride = Pad(hidden);
        (W, WScales, WBiasedSums) = Pack(w, InputStride);
        (R, RScales, RBiasedSums) = Pack(r, HiddenStride);
    }

    /// <summary>I padded to <see cref="ColumnAlignment"/>: the length of a quantized input vector.</summary>
    public int InputStride { get; }

    /// <summary>H padded to <see cref="ColumnAlignment"/>: the length of a quantized hidden vector.</summary>
    public int HiddenStride { get; }

    /// <summary>W packed: Blocks × InputStride/4 quads × <see cref="QuadBytes"/>.</summary>
    public sbyte[] W { get; }

    /// <summary>R packed: Blocks × HiddenStride/4 quads × <see cref="QuadBytes"/>.</summary>
    public sbyte[] R { get; }

    /// <summary>W's row scales, [block][gate][unit].</summary>
    public float[] WScales { get; }

    /// <summary>R's row scales, [block][gate][unit].</summary>
    public float[] RScales { get; }

    /// <summary>128 · Σ W[row, ·], [block][gate][unit]: removes the +128 bias of unsigned×signed dot products.</summary>
    public int[] WBiasedSums { get; }

    /// <summary>128 · Σ R[row, ·], [block][gate][unit].</summary>
    public int[] RBiasedSums { get; }

    private static int Pad(int columns) => (columns + ColumnAlignment - 1) / ColumnAlignment * ColumnAlignment;

    private (sbyte[] Packed, float[] Scales, int[] BiasedSums) Pack(WeightMatrix matrix, int stride)
    {
        int columns = matrix.Columns, quads = stride / 4;
        var packed = new sbyte[checked(Blocks * quads * QuadBytes)];
        var scales = new float[Blocks * BlockRows];
        var biasedSums = new int[Blocks * BlockRows];
        sbyte[] source = matrix.Quantized!;
        for (int row = 0; row < matrix.Rows; row++)
        {
            int gate = row / Hidden, unit = row % Hidden, block = unit / BlockUnits, lane = unit % BlockUnits;
            int sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sbyte value = source[row * columns + c];
                packed[(((block * quads + c / 4) * Gates + gate) * BlockUnits + lane) * 4 + c % 4] = value;
                sum += value;
            }
            scales[PackedRow(row)] = matrix.RowScales![row];
            biasedSums[PackedRow(row)] = 128 * sum;
        }
        return (packed, scales, biasedSums);
    }
}
