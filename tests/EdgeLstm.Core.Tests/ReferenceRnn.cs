using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests;

/// <summary>
/// A plain, obviously-correct transcription of the ONNX LSTM/GRU and Gemm equations in double precision,
/// one scalar loop per formula. The engine is tested against it; it shares no code with the engine.
/// </summary>
internal static class ReferenceRnn
{
    /// <summary>Runs a window (T × I, row-major) from the initial state and returns the model output.</summary>
    public static double[] Run(RecurrentModel model, float[] window)
    {
        int t = window.Length / model.InputSize;
        double[][] x = new double[t][];
        for (int s = 0; s < t; s++)
            x[s] = window.Skip(s * model.InputSize).Take(model.InputSize).Select(v => (double)v).ToArray();
        double[][]? finalStates = null;
        foreach (RecurrentLayer layer in model.Layers)
            (x, finalStates) = RunLayer(layer, x);
        double[] headInput = model.HeadInput == HeadInput.LastStep ? x[t - 1] : finalStates!.SelectMany(h => h).ToArray();
        foreach (DenseLayer dense in model.Head)
            headInput = Dense(dense, headInput);
        return headInput;
    }

    private static (double[][] Y, double[][] FinalStates) RunLayer(RecurrentLayer layer, double[][] x)
    {
        int t = x.Length, hSize = layer.HiddenSize;
        var y = new double[t][];
        for (int s = 0; s < t; s++) y[s] = new double[layer.OutputSize];
        var finals = new double[layer.DirectionCount][];
        for (int d = 0; d < layer.DirectionCount; d++)
        {
            DirectionWeights w = layer.Directions[d];
            int k = layer.ActivationsPerDirection;
            ActivationKind[] acts = layer.Activations.Skip(d * k).Take(k).ToArray();
            double[] h = w.InitialHidden?.Select(v => (double)v).ToArray() ?? new double[hSize];
            double[] c = w.InitialCell?.Select(v => (double)v).ToArray() ?? new double[hSize];
            bool reverse = layer.Direction == RecurrentDirection.Reverse || d == 1;
            for (int s = 0; s < t; s++)
            {
                int step = reverse ? t - 1 - s : s;
                if (layer.Kind == RecurrentKind.Lstm) (h, c) = LstmStep(layer, w, acts, x[step], h, c);
                else h = GruStep(layer, w, acts, x[step], h);
                Array.Copy(h, 0, y[step], d * hSize, hSize);
            }
            finals[d] = h;
        }
        return (y, finals);
    }

    private static (double[] H, double[] C) LstmStep(RecurrentLayer layer, DirectionWeights w, ActivationKind[] acts, double[] x, double[] hPrev, double[] cPrev)
    {
        int n = layer.HiddenSize;
        float[] W = w.W.ToFloat(), R = w.R.ToFloat();
        double Gate(int gate, int j) // gate order i, o, f, c
        {
            int row = gate * n + j;
            double sum = w.InputBias[row] + w.RecurrenceBias[row];
            for (int col = 0; col < layer.InputSize; col++) sum += W[row * layer.InputSize + col] * x[col];
            for (int col = 0; col < n; col++) sum += R[row * n + col] * hPrev[col];
            return sum;
        }
        var h = new double[n];
        var c = new double[n];
        for (int j = 0; j < n; j++)
        {
            double pi = w.Peepholes?[j] ?? 0, po = w.Peepholes?[n + j] ?? 0, pf = w.Peepholes?[2 * n + j] ?? 0;
            double i = Act(acts[0], Clip(layer, Gate(0, j) + pi * cPrev[j]));
            double f = Act(acts[0], Clip(layer, Gate(2, j) + pf * cPrev[j]));
            double g = Act(acts[1], Clip(layer, Gate(3, j)));
            c[j] = f * cPrev[j] + i * g;
            double o = Act(acts[0], Clip(layer, Gate(1, j) + po * c[j]));
            h[j] = o * Act(acts[2], c[j]);
        }
        return (h, c);
    }

    private static double[] GruStep(RecurrentLayer layer, DirectionWeights w, ActivationKind[] acts, double[] x, double[] hPrev)
    {
        int n = layer.HiddenSize;
        float[] W = w.W.ToFloat(), R = w.R.ToFloat();
        double InputPart(int row)
        {
            double sum = w.InputBias[row];
            for (int col = 0; col < layer.InputSize; col++) sum += W[row * layer.InputSize + col] * x[col];
            return sum;
        }
        double RecurrentPart(int row, double[] h)
        {
            double sum = 0;
            for (int col = 0; col < n; col++) sum += R[row * n + col] * h[col];
            return sum;
        }
        var z = new double[n];
        var r = new double[n];
        for (int j = 0; j < n; j++)
        {
            z[j] = Act(acts[0], Clip(layer, InputPart(j) + RecurrentPart(j, hPrev) + w.RecurrenceBias[j]));
            r[j] = Act(acts[0], Clip(layer, InputPart(n + j) + RecurrentPart(n + j, hPrev) + w.RecurrenceBias[n + j]));
        }
        double[] resetHidden = hPrev.Select((v, j) => r[j] * v).ToArray();
        var h = new double[n];
        for (int j = 0; j < n; j++)
        {
            int row = 2 * n + j;
            double candidate = layer.LinearBeforeReset
                ? InputPart(row) + r[j] * (RecurrentPart(row, hPrev) + w.RecurrenceBias[row])
                : InputPart(row) + RecurrentPart(row, resetHidden) + w.RecurrenceBias[row];
            double hh = Act(acts[1], Clip(layer, candidate));
            h[j] = (1 - z[j]) * hh + z[j] * hPrev[j];
        }
        return h;
    }

    private static double[] Dense(DenseLayer dense, double[] x)
    {
        float[] W = dense.W.ToFloat();
        var y = new double[dense.OutputSize];
        for (int r = 0; r < y.Length; r++)
        {
            double sum = dense.Bias[r];
            for (int c = 0; c < x.Length; c++) sum += W[r * x.Length + c] * x[c];
            y[r] = sum;
        }
        if (dense.Activation == ActivationKind.Softmax)
        {
            double max = y.Max();
            double[] e = y.Select(v => Math.Exp(v - max)).ToArray();
            double total = e.Sum();
            return e.Select(v => v / total).ToArray();
        }
        return y.Select(v => Act(dense.Activation, v)).ToArray();
    }

    private static double Clip(RecurrentLayer layer, double v) => layer.Clip > 0 ? Math.Clamp(v, -layer.Clip, layer.Clip) : v;

    private static double Act(ActivationKind kind, double v) => kind switch
    {
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-v)),
        ActivationKind.Tanh => Math.Tanh(v),
        ActivationKind.Relu => Math.Max(0, v),
        ActivationKind.None => v,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
