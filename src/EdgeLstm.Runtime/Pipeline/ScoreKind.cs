namespace EdgeLstm.Runtime.Pipeline;

/// <summary>How a decision rule turns the model's outputs into one score.</summary>
public enum ScoreKind
{
    /// <summary>The probability (or value) of one output, e.g. a fault class.</summary>
    Output,

    /// <summary>1 − the first output: "not normal" for a classifier whose first label is the normal class.</summary>
    NotFirstOutput,

    /// <summary>
    /// Σ |output[o] − input[channel named like o]| over the outputs, on normalized values at the same sample:
    /// the reconstruction error of a model that reproduces its inputs.
    /// </summary>
    Residual,

    /// <summary>As <see cref="Residual"/>, but comparing the previous prediction with the current sample: the error of a one-step forecaster.</summary>
    ForecastResidual,
}
