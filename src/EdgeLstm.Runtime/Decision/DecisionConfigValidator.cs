using System.Text.Json;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Decision;

/// <summary>
/// The one validation of the decision section, by JSON path: <c>validate</c> and <c>run</c> both go through it (as part
/// of loading the board file), and a rule built from a section that passed is usable as it is.
/// </summary>
internal sealed class DecisionConfigValidator(List<ConfigProblem> problems)
{
    /// <summary>Checks <c>$.decision</c>: one inline alarm, or a list of alarms with unique names.</summary>
    public void Validate(DecisionConfig? decision)
    {
        if (decision is null)
        {
            return;
        }

        if (decision.Alarms is { } alarms)
        {
            bool inline = decision.Threshold is not null || decision.Calibration is not null || decision.Output is not null || decision.Name is not null;
            if (inline)
            {
                Add("$.decision", "both inline alarm fields and an alarms list are given.", "Move the inline fields into an entry of \"alarms\".");
            }

            if (alarms.Count == 0)
            {
                Add("$.decision.alarms", "the alarms list is empty.", "Remove \"alarms\" or add at least one alarm.");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < alarms.Count; i++)
            {
                Alarm(alarms[i], $"$.decision.alarms[{i}]");
                string name = alarms[i].Name ?? alarms[i].Output ?? "anomaly";
                if (!names.Add(name))
                {
                    Add($"$.decision.alarms[{i}].name", $"the alarm name '{name}' is used twice.", "Give each alarm its own name.");
                }
            }
        }
        else
        {
            Alarm(decision, "$.decision");
        }
    }

    private void Alarm(AlarmRuleConfig alarm, string path)
    {
        if (alarm.Threshold is null && alarm.Calibration is null)
        {
            Add(path, "an alarm needs a threshold or a calibration.", "Add \"threshold\": 0.8, or \"calibration\": { \"samples\": 400, \"quantile\": 0.99, \"factor\": 2.5 }.");
        }

        if (alarm.Threshold is { } threshold && alarm.Calibration is not null)
        {
            Add($"{path}.threshold", $"threshold {Num(threshold)} is given but the calibration sets it.", "Remove one of them.");
        }

        if (alarm.ClearThreshold is { } clear && alarm.Threshold is { } raise && clear > raise)
        {
            Add($"{path}.clearThreshold", $"clearThreshold {Num(clear)} is above threshold {Num(raise)}: the alarm would chatter.", "Set clearThreshold at or below threshold (hysteresis).");
        }

        if (alarm.ClearThreshold is not null && alarm.Calibration is not null)
        {
            Add($"{path}.clearThreshold", "clearThreshold is given but the calibration sets it.", "Use calibration.clearRatio instead.");
        }

        if (alarm.MinDurationSamples < 1)
        {
            Add($"{path}.minDurationSamples", "minDurationSamples must be at least 1.", "Use 1 to raise the alarm on the first high score.");
        }

        if (alarm.WarmUpSamples is < 0 or > 10_000_000)
        {
            Add($"{path}.warmUpSamples", $"warmUpSamples {alarm.WarmUpSamples} is outside 0–10000000.", "Use 0 (score from the first sample), or about the time the model's state and the sensors' averaging take to settle, e.g. 200.");
        }

        if (!(alarm.SmoothingAlpha > 0 && alarm.SmoothingAlpha <= 1))
        {
            Add($"{path}.smoothingAlpha", $"smoothingAlpha {Num(alarm.SmoothingAlpha)} is outside (0, 1].", "Use 1 for no smoothing, 0.1 to average over about 10 samples.");
        }

        if (alarm.Score == AlarmScore.Output && string.IsNullOrWhiteSpace(alarm.Output))
        {
            Add($"{path}.output", "score \"output\" needs the name of the output to score.", "Add e.g. \"output\": \"cavitation\".");
        }

        if (alarm.Score != AlarmScore.Output && alarm.Output is not null)
        {
            Add($"{path}.output", $"output is only used with score \"output\", not \"{JsonNamingPolicy.CamelCase.ConvertName(alarm.Score.ToString())}\".", "Remove output, or set \"score\": \"output\".");
        }

        if (alarm.Calibration is { } c)
        {
            if (c.Samples is < 1 or > 10_000_000)
            {
                Add($"{path}.calibration.samples", $"samples {c.Samples} is outside 1–10000000.", "Calibrate on a few hundred samples of normal operation, e.g. 400.");
            }

            if (!(c.Quantile > 0 && c.Quantile <= 1))
            {
                Add($"{path}.calibration.quantile", $"quantile {Num(c.Quantile)} is outside (0, 1].", "Use e.g. 0.99.");
            }

            if (!(c.Factor > 0) || double.IsInfinity(c.Factor))
            {
                Add($"{path}.calibration.factor", $"factor {Num(c.Factor)} is not a positive number.", "Use e.g. 2.5.");
            }

            if (!(c.ClearRatio > 0 && c.ClearRatio <= 1))
            {
                Add($"{path}.calibration.clearRatio", $"clearRatio {Num(c.ClearRatio)} is outside (0, 1].", "Use e.g. 0.75.");
            }
        }
    }

    private void Add(string path, string message, string hint) => problems.Add(new ConfigProblem(path, message, hint));

    private static string Num(double x) => ConfigText.Num(x);
}
