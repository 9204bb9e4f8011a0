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
