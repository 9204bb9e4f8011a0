namespace EdgeLstm.Evaluate.Runtime;

/// <summary>The weight precision a model is converted to.</summary>
public enum Precision
{
    /// <summary>float32 weights.</summary>
    Float32,

    /// <summary>int8 weights (what the board ships).</summary>
    Int8,
}
