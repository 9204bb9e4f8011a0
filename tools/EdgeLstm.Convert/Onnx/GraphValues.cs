using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>
/// The role of one tensor axis as the importer tracks it. The graph input's axes are <c>Input0..2</c> (its
/// original positions) until the first recurrent node tells which one is time, batch and feature.
/// </summary>
internal enum AxisRole
{
    Input0,
    Input1,
    Input2,
    Time,
    Batch,
    Direction,
    Feature,
}

/// <summary>
/// What the importer knows about one value (tensor) of the graph: not its numbers but what it means to the
/// recurrent model — a constant, a shape computed at run time, a sequence, a final state, a head vector.
/// </summary>
internal abstract record GraphValue;

/// <summary>A tensor whose values are known: an initializer or a <c>Constant</c> node.</summary>
internal sealed record ConstantValue(TensorData Tensor) : GraphValue;

/// <summary>A value computed from shapes at run time (e.g. the batch size); usable only to build zero states.</summary>
internal sealed record RuntimeShapeValue : GraphValue;

/// <summary>A tensor of unknown shape with every element equal to <see cref="Fill"/> (<c>ConstantOfShape</c> and slices of it).</summary>
internal sealed record FilledValue(float Fill) : GraphValue;

/// <summary>The shape of a data value (<c>Shape</c>); gathering one of its dimensions gives a constant when the importer knows it.</summary>
internal sealed record ShapeOfValue(GraphValue Source) : GraphValue;

/// <summary>A value the converter cannot use; any node that reads it fails with <see cref="Reason"/>.</summary>
internal sealed record UnusableValue(string Reason) : GraphValue;

/// <summary>
/// A sequence of feature vectors: the graph input (<see cref="Layer"/> = -1) or a recurrent layer's <c>Y</c>.
/// </summary>
/// <param name="Axes">Role of each axis.</param>
/// <param name="Layer">Index of the recurrent layer that produced it; -1 for the graph input.</param>
/// <param name="Directions">Size of the direction axis (or the directions merged into the features).</param>
/// <param name="Features">Size of the feature axis (hidden units per direction while a direction axis exists).</param>
/// <param name="LastStepOnly">True after a slice that keeps only the last time step.</param>
/// <param name="Head">Dense layers applied to every time step (torch's <c>fc(y)[:, -1]</c>); they commute with taking the last step.</param>
internal sealed record SequenceValue(AxisRole[] Axes, int Layer, int Directions, int Features, bool LastStepOnly = false,
    IReadOnlyList<DenseLayer>? Head = null) : GraphValue
{
    public IReadOnlyList<DenseLayer> DenseLayers => Head ?? [];

    /// <summary>Width of the recurrent layer's output before any per-step dense layers.</summary>
    public int SourceFeatures => DenseLayers.Count > 0 ? DenseLayers[0].InputSize : Features;

    public int IndexOf(AxisRole role) => Array.IndexOf(Axes, role);

    public bool HasDirectionAxis => IndexOf(AxisRole.Direction) >= 0;
}

/// <summary>One direction of one layer's final hidden state.</summary>
internal sealed record StatePart(int Layer, int Direction);

/// <summary>Final hidden states (<c>Y_h</c>, or a concatenation of several layers' <c>Y_h</c>) along the direction axis.</summary>
internal sealed record StateValue(AxisRole[] Axes, IReadOnlyList<StatePart> Parts, int Hidden) : GraphValue
{
    public int IndexOf(AxisRole role) => Array.IndexOf(Axes, role);
}

/// <summary>
/// A per-sample vector [batch, features] feeding or leaving the dense head: the last time step of a layer
/// (<see cref="LastStepLayer"/> ≥ 0) or final states (<see cref="Parts"/>), followed by the dense layers so far.
/// </summary>
internal sealed record VectorValue(AxisRole[] Axes, int LastStepLayer, IReadOnlyList<StatePart> Parts, int SourceWidth,
    IReadOnlyList<DenseLayer> Head) : GraphValue
{
    public int Width => Head.Count > 0 ? Head[^1].OutputSize : SourceWidth;
}
