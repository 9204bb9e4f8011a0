namespace EdgeLstm.Core.Kernels;

/// <summary>
/// What the int8 and float32 packed LSTMs share: hidden units in blocks of <see cref="BlockUnits"/>, per-row values
/// (biases, and the gate pre-activations the cell update reads) in <c>[block][gate][unit]</c> order, units past H
/// zero. Each derived type packs its weights to match.
/// </summary>
internal abstract class PackedLstmLayout
{
    /// <summary>Hidden units per block: one 256-bit vector of 32-bit lanes (two 128-bit ones).</summary>
    public const int BlockUnits = 8;

    /// <summary>Gates per unit: i, o, f, c in ONNX order.</summary>
    public const int Gates = 4;

    /// <summary>Per-row values per block.</summary>
    public const int BlockRows = Gates * BlockUnits;

    /// <summary>Lays out one direction of <paramref name="hidden"/> units and packs its combined bias (Wb + Rb).</summary>
    protected PackedLstmLayout(int input, int hidden, float clip, ReadOnlySpan<float> bias)
    {
        Input = input;
        Hidden = hidden;
        Clip = clip;
        Blocks = (hidden + BlockUnits - 1) / BlockUnits;
        Bias = new float[ProjectionLength];
        for (int row = 0; row < Gates * hidden; row++)
            Bias[PackedRow(row)] = bias[row];
    }

    /// <summary>H: hidden units.</summary>
    public int Hidden { get; }

    /// <summary>I: input features.</summary>
    public int Input { get; }

    /// <summary>ONNX clip (0: off).</summary>
    public float Clip { get; }

    /// <summary>Blocks of <see cref="BlockUnits"/> hidden units.</summary>
    public int Blocks { get; }

    /// <summary>Wb + Rb, [block][gate][unit].</summary>
    public float[] Bias { get; }

    /// <summary>Floats of one time step's gate pre-activations (or input projection): Blocks × <see cref="BlockRows"/>.</summary>
    public int ProjectionLength => Blocks * BlockRows;

    /// <summary>The packed index of ONNX row <paramref name="row"/> (gate · H + unit) in the per-row arrays.</summary>
    public int PackedRow(int row) => PackedRow(row, Hidden);

    /// <summary>The [block][gate][unit] index of ONNX row <paramref name="row"/> of a layer with <paramref name="hidden"/> units.</summary>
    public static int PackedRow(int row, int hidden)
    {
        int gate = row / hidden, unit = row % hidden;
        return (unit / BlockUnits * Gates + gate) * BlockUnits + unit % BlockUnits;
    }
}
