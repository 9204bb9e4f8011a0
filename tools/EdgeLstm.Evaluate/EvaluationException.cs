namespace EdgeLstm.Evaluate;

/// <summary>A failure the user can act on (missing dataset, missing model, runtime failure); shown as one line, exit 2.</summary>
public sealed class EvaluationException(string message) : Exception(message);
