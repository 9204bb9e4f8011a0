using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Onnx;

/// <summary>Where the graph input keeps time, batch and features (torch's batch_first puts batch first).</summary>
/// <param name="TimeAxis">Position of the time axis in the ONNX input tensor.</param>
/// <param name="BatchAxis">Position of the batch axis.</param>
/// <param name="FeatureAxis">Position of the feature (channel) axis.</param>
public sealed record InputLayout(int TimeAxis, int BatchAxis, int FeatureAxis)
{
    /// <summary>The ONNX input shape for one sequence of <paramref name="steps"/> samples of <paramref name="features"/> channels.</summary>
    public long[] ShapeFor(int steps, int features)
    {
        var shape = new long[3];
        shape[TimeAxis] = steps;
        shape[BatchAxis] = 1;
        shape[FeatureAxis] = features;
        return shape;
    }
}

/// <summary>An ONNX graph read into an EdgeLstm model (float32, default metadata) plus what is needed to run the ONNX original.</summary>
/// <param name="Model">The recurrent model with placeholder metadata.</param>
/// <param name="InputName">Name of the ONNX graph input.</param>
/// <param name="OutputName">Name of the ONNX graph output the model reproduces.</param>
/// <param name="Layout">Axis order of the ONNX input.</param>
/// <param name="StaticTimeSteps">The input's time dimension when the export fixed it; null when dynamic.</param>
/// <param name="MetadataProps">The ONNX <c>metadata_props</c>.</param>
/// <param name="InputShape">The input's declared shape as the file writes it, e.g. <c>[unk__34, 8, 6]</c>; empty when it declares none.</param>
public sealed record ImportedModel(
    RecurrentModel Model,
    string InputName,
    string OutputName,
    InputLayout Layout,
    int? StaticTimeSteps,
    IReadOnlyDictionary<string, string> MetadataProps,
    string InputShape = "")
{
    /// <summary>The graph input for messages: its name and declared shape, e.g. <c>input 'x' [unk__34, 8, 6]</c>.</summary>
    public string InputText => $"input '{InputName}'" + (InputShape.Length > 0 ? " " + InputShape : "");
}
