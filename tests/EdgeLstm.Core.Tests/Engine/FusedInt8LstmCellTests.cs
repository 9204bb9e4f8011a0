using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Kernels;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Engine;

public class FusedInt8LstmCellTests
{
    public static TheoryData<int> FusableSpecs()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < FusableModelSpecs.Length; i++) data.Add(i);
        return data;
    }

    private static readonly ModelSpec[] FusableModelSpecs =
    [
        new(HiddenSizes: [16, 16], DenseSizes: [4]),
        new(InputSize: 3, HiddenSizes: [37, 33, 5], DenseSizes: [10, 4]),
        new(HiddenSizes: [13], Clip: 0.7f, InitialState: true, DenseSizes: [2], FinalActivation: ActivationKind.Sigmoid, HeadInput: HeadInput.FinalState),
        new(Direction: RecurrentDirection.Bidirectional, HiddenSizes: [7, 9], DenseSizes: [3]),
        new(Direction: RecurrentDirection.Reverse, InputSize: 20, HiddenSizes: [24], DenseSizes: [3]),
        new(InputSize: 1, HiddenSizes: [1], DenseSizes: []),
    ];

    [Theory]
    [MemberData(nameof(FusableSpecs))]
    public void Fused_cells_give_the_general_cells_bits_in_streams_and_windows(int specIndex)
    {
        ModelSpec spec = FusableModelSpecs[specIndex];
        RecurrentModel model = RandomModels.Create(spec, 100 + specIndex).Quantize();
        var random = new Random(specIndex);
        const int Steps = 23;
        float[] window = RandomModels.Values(random, Steps * spec.InputSize, 2f);
        foreach (Int8Path path in Int8Paths.Supported.Where(FusedInt8Lstm.Implements))
        {
            var fused = new Predictor(model, 0, allowFusedCells: false);
            ReplaceCells(fused, model, path);
            var general = new Predictor(model, 0, allowFusedCells: false);
            float[] expected = new float[general.OutputSize], actual = new float[fused.OutputSize];
            general.RunWindow(window, expected);
            fused.RunWindow(window, actual);
            FloatAssert.BitwiseEqual(expected, actual, $"{path} window, {spec}");
            if (!model.CanStream) continue;
            for (int t = 0; t < Steps; t++)
            {
                general.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), expected);
                fused.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), actual);
                FloatAssert.BitwiseEqual(expected, actual, $"{path} step {t}, {spec}");
            }
        }
    }

    [Fact]
    public void Only_default_int8_lstms_without_peepholes_are_fused()
    {
        bool Fusable(ModelSpec spec, bool int8)
        {
            RecurrentModel model = RandomModels.Create(spec, 1);
            if (int8) model = model.Quantize();
            return FusedInt8LstmCell.Supports(model.Layers[0], 0);
        }
        Assert.True(Fusable(new ModelSpec(), int8: true));
        Assert.False(Fusable(new ModelSpec(), int8: false));
        Assert.False(Fusable(new ModelSpec(Peepholes: true), int8: true));
        Assert.False(Fusable(new ModelSpec(Kind: RecurrentKind.Gru), int8: true));
        Assert.False(Fusable(new ModelSpec(Activations: [ActivationKind.Sigmoid, ActivationKind.Relu, ActivationKind.Relu]), int8: true));
    }

    /// <summary>Swaps in fused cells on a chosen path (the public constructor picks the best one).</summary>
    private static void ReplaceCells(Predictor predictor, RecurrentModel model, Int8Path path)
    {
        var cells = (RecurrentCell[][])typeof(Predictor).GetField("_cells", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(predictor)!;
        for (int l = 0; l < cells.Length; l++)
        {
            for (int d = 0; d < cells[l].Length; d++)
                cells[l][d] = new FusedInt8LstmCell(model.Layers[l], d, path);
        }
    }
}
