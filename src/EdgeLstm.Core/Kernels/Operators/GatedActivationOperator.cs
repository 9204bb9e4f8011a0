using System.Runtime.Intrinsics;

namespace EdgeLstm.Core.Kernels;

/// <summary>o · act(c): the LSTM hidden state from the output gate and the cell state.</summary>
internal readonly struct GatedActivationOperator<TActivation> : IBinaryOperator where TActivation : struct, IUnaryOperator
{
    public float Invoke(float o, float c) => o * default(TActivation).Invoke(c);
    public Vector128<float> Invoke(Vector128<float> o, Vector128<float> c) => o * default(TActivation).Invoke(c);
    public Vector256<float> Invoke(Vector256<float> o, Vector256<float> c) => o * default(TActivation).Invoke(c);
    public Vector512<float> Invoke(Vector512<float> o, Vector512<float> c) => o * default(TActivation).Invoke(c);
}
