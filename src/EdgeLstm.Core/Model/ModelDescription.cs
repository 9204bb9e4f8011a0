using System.Globalization;

namespace EdgeLstm.Core.Model;

/// <summary>
/// How a model is described to a person, the same in <c>edgelstm info</c> and <c>edgelstm-convert info</c>: one
/// (property, value) row per fact, which each program lays out its own way (plain lines on the board, a table on the desktop).
/// </summary>
public static class ModelDescription
{
    /// <summary>A layer in short, e.g. <c>Lstm(8->16)</c> or <c>Gru bidirectional(8->16)</c>.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The text.</returns>
    public static string Layer(RecurrentLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        string direction = layer.Direction == RecurrentDirection.Forward ? "" : " " + layer.Direction.ToString().ToLowerInvariant();
        return $"{layer.Kind}{direction}({layer.InputSize}->{layer.HiddenSize})";
    }

    /// <summary>How the model runs: <c>streaming (state carried)</c>, or <c>windowed, window 16, stride 1</c>.</summary>
    /// <param name="metadata">The model's metadata.</param>
    /// <returns>The text.</returns>
    public static string Execution(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Mode == ExecutionMode.Windowed ? $"windowed, window {metadata.WindowLength}, stride {metadata.Stride}" : "streaming (state carried)";
    }

    /// <summary>The model's rows: name, inputs, each layer with its options, the head, outputs, execution, cost, rate and metadata.</summary>
    /// <param name="model">The model.</param>
    /// <param name="execution">How it runs (<see cref="Execution"/>, or where a converter says more, such as where the window came from).</param>
    /// <returns>The rows in reading order.</returns>
    public static IReadOnlyList<(string Property, string Value)> Rows(RecurrentModel model, string execution)
    {
        ArgumentNullException.ThrowIfNull(model);
        CultureInfo inv = CultureInfo.InvariantCulture;
        ModelMetadata meta = model.Metadata;
        var rows = new List<(string, string)>
        {
            ("name", meta.Name.Length > 0 ? meta.Name : "-"),
            ("inputs", $"{model.InputSize} channels"),
        };
        for (int l = 0; l < model.Layers.Count; l++)
        {
            RecurrentLayer layer = model.Layers[l];
            string options = (layer.Directions[0].Peepholes is not null ? ", peepholes" : "")
                + (layer.Clip > 0 ? ", clip " + layer.Clip.ToString(inv) : "")
                + (layer.Directions[0].InitialHidden is not null ? ", initial state" : "")
                + (layer.Kind == RecurrentKind.Gru ? $", linear_before_reset {(layer.LinearBeforeReset ? 1 : 0)}" : "")
                + $", activations {string.Join('/', layer.Activations.Take(layer.ActivationsPerDirection))}";
            rows.Add(($"layer {l}", Layer(layer) + options));
        }

        for (int h = 0; h < model.Head.Count; h++)
        {
            rows.Add(($"dense {h}", $"{model.Head[h].InputSize} -> {model.Head[h].OutputSize}, {model.Head[h].Activation}"));
        }

        rows.Add(("head input", model.HeadInput.ToString()));
        rows.Add(("outputs", $"{model.OutputSize} ({meta.OutputKind}): {string.Join(", ", meta.OutputNames)}"));
        rows.Add(("execution", execution));
        rows.Add(("MACs/step", model.MacsPerStep.ToString("N0", inv)));
        rows.Add(("memory", Memory(ModelMemory.Of(model))));
        rows.Add(("rate", meta.SampleRateHz > 0 ? $"trained at {meta.SampleRateHz.ToString(inv)} Hz" : "not recorded in the model"));
        rows.Add(("metadata", meta.IsDefault
            ? $"none given: channels x0..x{model.InputSize - 1}, outputs y0..y{model.OutputSize - 1}, no normalization"
            : "given"));
        return rows;
    }

    /// <summary>A model's memory need, e.g. <c>1.2 MiB (1,234,567 bytes: weights 1.1 MiB, state 4.0 KiB, window 64.0 KiB)</c>.</summary>
    /// <param name="memory">The need (<see cref="ModelMemory.Of"/>).</param>
    /// <returns>The text.</returns>
    public static string Memory(ModelMemory memory) => string.Create(CultureInfo.InvariantCulture,
        $"{Size(memory.TotalBytes)} ({memory.TotalBytes:N0} bytes: weights {Size(memory.WeightBytes)}, state {Size(memory.StateBytes)}, window {Size(memory.WindowBytes)})");

    /// <summary>Bytes in the largest unit that keeps the number at 1 or more, one decimal: <c>512 B</c>, <c>4.0 KiB</c>, <c>1.2 MiB</c>.</summary>
    /// <param name="bytes">The size.</param>
    /// <returns>The text.</returns>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GiB"),
    };

    /// <summary>One row per input channel: name, unit, the normalization's mean and std.</summary>
    /// <param name="metadata">The model's metadata.</param>
    /// <returns>The rows.</returns>
    public static IReadOnlyList<(string Name, string Unit, string Mean, string Std)> Channels(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        CultureInfo inv = CultureInfo.InvariantCulture;
        return [.. metadata.Channels.Select(c => (c.Name, c.Unit.Length > 0 ? c.Unit : "-", c.Mean.ToString("G6", inv), c.Std.ToString("G6", inv)))];
    }
}
