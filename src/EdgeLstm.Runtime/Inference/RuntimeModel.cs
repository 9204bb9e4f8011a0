using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Runtime.Inference;

/// <summary>A model as the runtime holds it: its metadata and how to make its engine.</summary>
/// <param name="Metadata">Channels, normalization, outputs, mode.</param>
/// <param name="CanStream">True when the engine can carry state one sample at a time.</param>
/// <param name="Backend">For logs: e.g. <c>Int8</c>, <c>Float32</c>, <c>ONNX Runtime</c>.</param>
/// <param name="CreateEngine">Makes the engine, sized for windows of the given length.</param>
/// <param name="Memory">What the engine will hold (weights, state, window buffers); null when not known (ONNX Runtime).</param>
internal sealed record RuntimeModel(ModelMetadata Metadata, bool CanStream, string Backend, Func<int, IInferenceEngine> CreateEngine, ModelMemory? Memory = null)
{
    /// <summary>Features per sample.</summary>
    public int InputSize => Metadata.Channels.Count;

    /// <summary>An .elstm model on the EdgeLstm engine.</summary>
    public static RuntimeModel FromCore(RecurrentModel model) =>
        new(model.Metadata, model.CanStream, model.Precision.ToString(), window => new PredictorEngine(new Predictor(model, window)), ModelMemory.Of(model));
}
