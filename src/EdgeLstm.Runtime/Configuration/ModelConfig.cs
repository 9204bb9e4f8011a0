namespace EdgeLstm.Runtime.Configuration;

/// <summary>The model to run.</summary>
public sealed class ModelConfig
{
    /// <summary>Gets the path of the .elstm file, relative to the config file.</summary>
    public required string Path { get; set; }
}
