namespace EdgeLstm.Runtime.Configuration;

/// <summary>The model to run.</summary>
public sealed class ModelConfig
{
    /// <summary>The largest <see cref="MaxMemoryMiB"/> accepted (1 TiB): more is a typo, not a board.</summary>
    public const double MaxMemoryBudgetMiB = 1 << 20;

    /// <summary>Gets the path of the .elstm file, relative to the config file.</summary>
    public required string Path { get; set; }

    /// <summary>
    /// Gets the memory the model may need, in MiB (weights, state and window buffers, as <c>edgelstm validate</c> prints
    /// it); a model that needs more is refused at validate and at run. Absent: no budget.
    /// </summary>
    public double? MaxMemoryMiB { get; set; }
}
