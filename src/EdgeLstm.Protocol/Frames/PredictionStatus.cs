namespace EdgeLstm.Protocol;

/// <summary>Bit flags of a <see cref="PredictionFrame"/> (bits 0–6; bit 7 is reserved). Decoders keep bits they do not know. Not to be confused with <see cref="FrameFlags"/>, which say how the frame travels.</summary>
[Flags]
public enum PredictionStatus : byte
{
    /// <summary>Every input of this prediction was a real reading.</summary>
    None = 0,

    /// <summary>At least one input of this prediction was imputed because a sensor read failed.</summary>
    Degraded = 1,
}
