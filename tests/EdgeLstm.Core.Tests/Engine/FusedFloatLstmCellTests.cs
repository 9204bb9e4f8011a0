using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Engine;

public class FusedFloatLstmCellTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fused_float32_cells_agree_with_the_general_cells_in_streams_and_windows(int specIndex)
    {
        ModelSpec spec = new ModelSpec[]
        {
            new(HiddenSizes: [16, 16], DenseSizes: [4]),
            new(InputSize: 3, HiddenSizes: [37, 33, 5], DenseSizes: [10, 4]),
            new(HiddenSizes: [13], Clip: 0.7f, InitialState: true, DenseSizes: [2], FinalActivation: ActivationKind.Sigmoid, HeadInput: HeadInput.FinalState),
            new(Direction: RecurrentDirection.Bidirectional, HiddenSizes: [7, 9], DenseSizes: [3]),
        }[specIndex];
        RecurrentModel model = RandomModels.Create(spec, 200 + specIndex);
        Assert.True(FusedFloatLstmCell.Supports(model.Layers[0], 0));
        float[] window = RandomModels.Values(new Random(specIndex), 23 * spec.InputSize, 2f);
        var fused = new Predictor(model);
        var general = new Predictor(model, 0, allowFusedCells: false);
        float[] expected = new float[general.OutputSize], actual = new float[fused.OutputSize];
        general.RunWindow(window, expected);
        fused.RunWindow(window, actual);
        FloatAssert.Close(expected, actual, 1, $"window, {spec}");
        if (!model.CanStream) return;
        for (int t = 0; t < 23; t++)
        {
            general.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), expected);
            fused.Step(window.AsSpan(t * spec.InputSize, spec.InputSize), actual);
            FloatAssert.Close(expected, actual, 1, $"step {t}, {spec}");
        }
    }
}
