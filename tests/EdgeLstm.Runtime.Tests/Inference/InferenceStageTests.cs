using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Inference;

namespace EdgeLstm.Runtime.Tests.Inference;

/// <summary>Values no sample may throw on: a normalization the float range cannot hold, and a model whose output diverges.</summary>
public class InferenceStageTests
{
    /// <summary>
    /// A float streaming LSTM over two channels with the forget gate wide open (the cell state carries everything)
    /// and input weights of 1e30: a sample of ±1e10 gives W·x = 1e40 − 1e40 = ∞ − ∞ = NaN in the cell state, which
    /// would stay there for good.
    /// </summary>
    private static RecurrentModel Diverging(float mean0 = 0f, float std0 = 1f)
    {
        const int hidden = 2, inputs = 2;
        var w = new float[4 * hidden * inputs];
        for (int r = 0; r < 4 * hidden; r++)
        {
            w[r * inputs] = 1e30f;
            w[r * inputs + 1] = 1e30f;
        }
        var bias = new float[4 * hidden];
        for (int j = 0; j < hidden; j++) bias[2 * hidden + j] = 20f; // forget gate open
        var layer = new RecurrentLayer(RecurrentKind.Lstm, RecurrentDirection.Forward, inputs, hidden,
            [new DirectionWeights(WeightMatrix.FromFloat(4 * hidden, inputs, w), WeightMatrix.FromFloat(4 * hidden, hidden, new float[4 * hidden * hidden]), bias, new float[4 * hidden])],
            RecurrentLayer.DefaultActivations(RecurrentKind.Lstm, 1));
        var head = new DenseLayer(WeightMatrix.FromFloat(1, hidden, [1f, 1f]), [0f], ActivationKind.None);
        var meta = new ModelMetadata([new ChannelInfo("a", "", mean0, std0), new ChannelInfo("b", "", 0f, 1f)], OutputKind.Regressor, ["y"], SampleRateHz: 10, Name: "diverging");
        return new RecurrentModel([layer], [head], HeadInput.LastStep, meta);
    }

    [Fact]
    public void A_non_finite_output_is_counted_replaced_by_NaN_and_the_state_starts_over()
    {
        using var stage = new InferenceStage(RuntimeModel.FromCore(Diverging()));
        Assert.True(stage.Process([0f, 0f]));
        Assert.False(stage.OutputFailed);
        Assert.True(float.IsFinite(stage.Output[0]));

        Assert.True(stage.Process([1e10f, -1e10f]));
        Assert.True(stage.OutputFailed);
        Assert.True(float.IsNaN(stage.Output[0]));
        Assert.Equal(1, stage.ModelResets);

        // Without the reset the NaN would be carried by the open forget gate into every later output.
        Assert.True(stage.Process([0f, 0f]));
        Assert.False(stage.OutputFailed);
        Assert.True(float.IsFinite(stage.Output[0]));
        Assert.Equal(1, stage.ModelResets);
    }

    [Fact]
    public void A_normalized_value_beyond_the_float_range_is_counted_and_the_last_finite_value_stands_in()
    {
        // std 0.01 (within the model limits): a reading of 1e38, which float holds, normalizes to 1e40 = +∞.
        RecurrentModel model = Diverging(mean0: 0f, std0: 0.01f);
        using var stage = new InferenceStage(RuntimeModel.FromCore(model));
        for (int i = 0; i < 3; i++)
        {
            stage.Process([1e38f, 0.5f]);
            Assert.True(stage.InputReplaced);
            Assert.Equal(0f, stage.Normalized[0]); // no finite value yet: the channel's mean
            Assert.Equal(0.5f, stage.Normalized[1]);
            Assert.False(stage.OutputFailed);
        }
        Assert.Equal([3L, 0L], stage.NonFiniteInputs.ToArray());
    }

    [Fact]
    public void A_NaN_reading_is_replaced_by_the_channels_last_finite_value()
    {
        using var stage = new InferenceStage(RuntimeModel.FromCore(Diverging()));
        stage.Process([0.25f, 0f]);
        Assert.False(stage.InputReplaced);
        stage.Process([float.NaN, 0f]);
        Assert.True(stage.InputReplaced);
        Assert.Equal(0.25f, stage.Normalized[0]);
        Assert.Equal(1L, stage.NonFiniteInputs[0]);
    }

    [Fact]
    public void Guarding_allocates_nothing()
    {
        using var stage = new InferenceStage(RuntimeModel.FromCore(Diverging()));
        stage.Process([0f, 0f]);
        stage.Process([1e10f, -1e10f]);
        stage.Process([float.NaN, 0f]);
        float[][] samples = [[1e10f, -1e10f], [float.NaN, 1f], [0.5f, 0.5f]];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) stage.Process(samples[i % 3]);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
