using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Journal;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Configuration;

/// <summary>The sections of a board file that the runtime owns: the model, the decision stage, the sinks, Health, the frame journal and trust.</summary>
public sealed class RuntimeSections
{
    /// <summary>Gets the model to run.</summary>
    public ModelConfig? Model { get; set; }

    /// <summary>Gets the decision stage settings.</summary>
    public DecisionConfig? Decision { get; set; }

    /// <summary>Gets where frames go (stdout when absent).</summary>
    public IReadOnlyList<SinkConfig>? Sinks { get; set; }

    /// <summary>Gets health reporting settings.</summary>
    public HealthConfig? Health { get; set; }

    /// <summary>Gets the frame journal's settings (a journal in RAM with the defaults when absent).</summary>
    public JournalConfig? Journal { get; set; }

    /// <summary>Gets the keys this board trusts to sign its models (unsigned models run when absent).</summary>
    public TrustConfig? Trust { get; set; }
}
