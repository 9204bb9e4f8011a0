namespace EdgeLstm.Protocol;

/// <summary>Bit flags of a <see cref="PredictionFrame"/> (bits 0–6; bit 7 is reserved). Decoders keep bits they do not know. Not to be confused with <see cref="FrameFlags"/>, which say how the frame travels.</summary>
[Flags]
public enum PredictionStatus : byte
{
    /// <summary>Every input of this prediction was a real reading.</summary>
    None = 0,

    /// <summary>The prediction is not of real readings alone: an input was held or bad (a read failed, timed out or was not finite), or the model was reset.</summary>
    Degraded = 1,

    /// <summary>
    /// The model's output was not finite (NaN or ±∞: diverging weights or activations), so the board reset the
    /// model's state; the values describe nothing and no alarm scored them. Always set together with <see cref="Degraded"/>.
    /// </summary>
    ModelReset = 2,
}
