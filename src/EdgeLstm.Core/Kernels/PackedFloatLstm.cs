using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Kernels;

/// <summary>
/// One float32 LSTM direction packed for <see cref="FusedFloatLstm"/>: hidden units in blocks of
/// <see cref="PackedLstmLayout.BlockUnits"/>, and for each block and each column the four gates' 8 weights side by
/// side (<c>[block][column][gate][unit]</c>), so one broadcast input value times one 8-wide load feeds 8 rows with no
/// horizontal sums. Biases and gate pre-activations share the int8 layout's <c>[block][gate][unit]</c> order, so
/// the cell update is <see cref="FusedLstmCellUpdate"/>. Units past H are zero.
/// </summary>
internal sealed class PackedFloatLstm : PackedLstmLayout
{
    /// <summary>Packs W, R and the combined bias of one float32 LSTM direction.</summary>
    public PackedFloatLstm(WeightMatrix w, WeightMatrix r, ReadOnlySpan<float> bias, int hidden, float clip)
        : base(w.Columns, hidden, clip, bias)
    {
        W = Pack(w.ToFloat(), w.Columns);
        R = Pack(r.ToFloat(), hidden);
    }

    /// <summary>W packed: Blocks × I columns × 4 gates × 8 units.</summary>
    public float[] W { get; }

    /// <summary>R packed: Blocks × H columns × 4 gates × 8 units.</summary>
    public float[] R { get; }

    private float[] Pack(float[] source, int columns)
    {
        var packed = new float[checked(Blocks * columns * BlockRows)];
        for (int row = 0; row < Gates * Hidden; row++)
        {
            int gate = row / Hidden, unit = row % Hidden, block = unit / BlockUnits, lane = unit % BlockUnits;
            for (int c = 0; c < columns; c++)
                packed[((block * columns + c) * Gates + gate) * BlockUnits + lane] = source[row * columns + c];
        }
        return packed;
    }
}
