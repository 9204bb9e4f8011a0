using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Tests.Kernels;

public class FusedLstmCellUpdateTests
{
    public static TheoryData<string> Widths() => new(Enum.GetValues<VectorWidth>().Where(w => w <= Elementwise.BestWidth).Select(w => w.ToString()));

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_cell_update_gives_the_same_bits_at_every_width(string widthName)
    {
        VectorWidth width = Enum.Parse<VectorWidth>(widthName);
        var random = new Random(15);
        foreach ((int input, int hidden) in RandomModels.PackedLstmShapes)
        {
            PackedInt8Lstm lstm = RandomModels.Int8Direction(random, input, hidden, clip: hidden % 2 == 0 ? 0 : 1.5f);
            float[] gates = RandomModels.Values(random, lstm.ProjectionLength, 6f);
            float[] cell = RandomModels.Values(random, hidden, 2f);
            float[] expectedH = new float[hidden], expectedC = (float[])cell.Clone();
            float[] actualH = new float[hidden], actualC = (float[])cell.Clone();
            FusedLstmCellUpdate.Run(lstm, gates, expectedH, expectedC, VectorWidth.Scalar);
            FusedLstmCellUpdate.Run(lstm, gates, actualH, actualC, width);
            FloatAssert.BitwiseEqual(expectedH, actualH, $"{width} h, H={hidden}");
            FloatAssert.BitwiseEqual(expectedC, actualC, $"{width} c, H={hidden}");
        }
    }
}
