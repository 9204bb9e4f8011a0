using EdgeLstm.Core.Kernels;

namespace EdgeLstm.Core.Tests.Kernels.Operators;

public class ActivationOperatorTests
{
    [Fact]
    public void Exp_sigmoid_and_tanh_are_accurate()
    {
        for (float x = -87f; x <= 88f; x += 0.173f)
        {
            double exp = Math.Exp(x);
            Assert.True(Math.Abs(default(ExpOperator).Invoke(x) - exp) <= 2e-7 * exp, $"exp({x})");
            Assert.True(Math.Abs(default(SigmoidOperator).Invoke(x) - 1 / (1 + Math.Exp(-x))) <= 1e-7, $"sigmoid({x})");
            Assert.True(Math.Abs(default(TanhOperator).Invoke(x) - Math.Tanh(x)) <= 2e-7, $"tanh({x})");
        }
        Assert.Equal(1f, default(SigmoidOperator).Invoke(1000f));
        Assert.InRange(default(SigmoidOperator).Invoke(-1000f), 0f, 1e-37f);
        Assert.Equal(-1f, default(TanhOperator).Invoke(-1000f));
    }
}
