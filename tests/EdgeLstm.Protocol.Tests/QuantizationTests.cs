namespace EdgeLstm.Protocol.Tests;

public class QuantizationTests
{
    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 255)]
    [InlineData(0.5f, 128)]
    [InlineData(0.91f, 232)]
    [InlineData(-0.2f, 0)]
    [InlineData(7f, 255)]
    [InlineData(float.NaN, 0)]
    [InlineData(float.PositiveInfinity, 255)]
    public void Probabilities_round_to_the_nearest_255th_and_clamp(float probability, byte expected) =>
        Assert.Equal(expected, Quantization.ToProbabilityByte(probability));

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 127)]
    [InlineData(0.12f, 15)]
    [InlineData(2f, 127)]
    [InlineData(float.NaN, 0)]
    public void Anomaly_scores_round_to_the_nearest_127th_and_clamp(float score, byte expected) =>
        Assert.Equal(expected, Quantization.ToAnomalyLevel(score));

    [Fact]
    public void Round_trip_error_is_at_most_half_a_step()
    {
        for (int i = 0; i <= 1000; i++)
        {
            float value = i / 1000f;
            Assert.InRange(MathF.Abs(Quantization.FromProbabilityByte(Quantization.ToProbabilityByte(value)) - value), 0f, 0.5f / 255 + 1e-6f);
            Assert.InRange(MathF.Abs(Quantization.FromAnomalyLevel(Quantization.ToAnomalyLevel(value)) - value), 0f, 0.5f / 127 + 1e-6f);
        }
    }

    [Fact]
    public void Quantizes_a_whole_probability_vector_into_a_caller_buffer()
    {
        byte[] destination = new byte[5];

        Quantization.ToProbabilityBytes([0.91f, 0.05f, 0.03f, 0.01f], destination);

        Assert.Equal(new byte[] { 232, 13, 8, 3, 0 }, destination);
        Assert.Throws<ArgumentException>(() => Quantization.ToProbabilityBytes([0.5f, 0.5f], new byte[1]));
    }

    [Fact]
    public void Top_class_is_the_first_largest_probability()
    {
        Assert.Equal(0, ExampleFrames.Prediction.TopClass);
        Assert.Equal(2, new PredictionFrame { Probabilities = new byte[] { 10, 20, 200, 200 } }.TopClass);
        Assert.Equal(-1, new PredictionFrame().TopClass);
        Assert.Equal(232 / 255f, ExampleFrames.Prediction.Probability(0));
    }
}
