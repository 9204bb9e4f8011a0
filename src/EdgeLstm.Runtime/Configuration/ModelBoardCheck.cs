using System.Globalization;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Inference;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Runtime.Configuration;

/// <summary>Does a board config fit a model? Lists every problem (and softer warnings) at once.</summary>
internal static class ModelBoardCheck
{
    /// <summary>Problems that make running pointless.</summary>
    public static List<string> Problems(BoardConfig config, RuntimeModel model, IReadOnlyList<AlarmRule> rules, out List<string> warnings)
    {
        var problems = new List<string>();
        warnings = [];
        var boardChannels = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DeviceConfig device in config.Devices)
        {
            foreach (ChannelConfig channel in device.GetChannels())
                boardChannels[channel.Name] = channel.Unit;
        }

        IReadOnlyList<ChannelInfo> modelChannels = model.Metadata.Channels;
        // An .elstm model was checked when it was loaded; a .onnx model's metadata meets the same limits here.
        if (modelChannels.Count > ModelLimits.MaxChannels)
            problems.Add($"the model takes {modelChannels.Count} channels; at most {ModelLimits.MaxChannels} are accepted (each is a field of every Health frame)");
        if (model.Metadata.OutputNames.Count > ModelLimits.MaxOutputs)
            problems.Add($"the model produces {model.Metadata.OutputNames.Count} outputs; at most {ModelLimits.MaxOutputs} are accepted (each is a field of every Prediction frame)");
        for (int c = 0; c < modelChannels.Count; c++)
        {
            string where = $"metadata.channels[{c}]";
            if (ModelLimits.NormalizationProblem(modelChannels[c], where) is { } normalization) problems.Add(normalization);
            if (ModelLimits.NameProblem(modelChannels[c].Name, where + ".name") is { } name) problems.Add(name);
        }
        for (int o = 0; o < model.Metadata.OutputNames.Count; o++)
        {
            if (ModelLimits.NameProblem(model.Metadata.OutputNames[o], $"metadata.outputs[{o}]") is { } name) problems.Add(name);
        }

        foreach (ChannelInfo channel in modelChannels)
        {
            if (!boardChannels.TryGetValue(channel.Name, out string? unit))
                problems.Add($"model channel '{channel.Name}' is not on the board (board channels: {string.Join(", ", boardChannels.Keys)}); rename a board channel or use a model trained on these channels");
            else if (!string.IsNullOrEmpty(unit) && channel.Unit.Length > 0 && !string.Equals(unit, channel.Unit, StringComparison.Ordinal))
                warnings.Add($"channel '{channel.Name}': the board reads {unit} but the model was trained on {channel.Unit}; check the channel's scale");
        }
        if (boardChannels.Count > modelChannels.Count)
            warnings.Add($"the board reads {boardChannels.Count} channels and the model uses {modelChannels.Count}; the others are sampled but not fed to the model");

        float trainedRate = model.Metadata.SampleRateHz;
        if (trainedRate > 0 && Math.Abs(trainedRate - config.Sampler.RateHz) > 1e-6 * trainedRate)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the board samples at {config.Sampler.RateHz} Hz but the model was trained at {trainedRate} Hz; set sampler.rateHz to {trainedRate}"));
        }

        ModelMetadata meta = model.Metadata;
        if (meta.Mode == ExecutionMode.Windowed || !model.CanStream)
        {
            double windowSeconds = meta.WindowLength / config.Sampler.RateHz;
            if (windowSeconds > 24 * 3600)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the model's window of {meta.WindowLength} samples spans {windowSeconds / 3600:F1} h at {config.Sampler.RateHz} Hz; that is not a usable window"));
            if (meta.Stride > meta.WindowLength)
                warnings.Add($"the stride ({meta.Stride}) is longer than the window ({meta.WindowLength}); some samples are never seen by the model");
        }

        for (int r = 0; r < rules.Count; r++)
        {
            if (AnomalyScorer.Create(rules[r].Score, rules[r].Output, meta, out string? scoreProblem) is null)
                problems.Add($"alarm '{rules[r].Name}': {scoreProblem}");
        }
        return problems;
    }
}
