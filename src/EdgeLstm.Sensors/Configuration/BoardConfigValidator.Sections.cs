using System.Text.Json;
using EdgeLstm.Sensors.Devices;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>Rules for the simulation sections and the runtime's sections.</summary>
internal sealed partial class BoardConfigValidator
{
    private void ValidateSimulation(DeviceConfig d, string path)
    {
        if (d.Simulation is not { } sim)
        {
            return;
        }

        IReadOnlyList<string> inputs = d.SimulatedInputs;
        foreach ((string name, SignalConfig signal) in sim.Inputs ?? new Dictionary<string, SignalConfig>())
        {
            string ip = $"{path}.simulation.inputs.{name}";
            if (!inputs.Contains(name, StringComparer.Ordinal))
            {
                Add(ip, $"'{name}' is not an input of a simulated {d.GetType().Name.Replace("Config", "", StringComparison.Ordinal)}.", inputs.Count == 0 ? "This device type takes no simulated inputs." : $"Use one of {List(inputs)}.");
            }

            if (signal.Noise < 0)
            {
                Add($"{ip}.noise", "noise (a standard deviation) is negative.", "Use 0 for no noise.");
            }

            IReadOnlyList<FaultConfig> faults = signal.Faults ?? [];
            for (int k = 0; k < faults.Count; k++)
            {
                ValidateFault(faults[k], $"{ip}.faults[{k}]");
            }
        }

        if (sim.Bus is { } bus)
        {
            if (bus.FailEveryNthRead < 0)
            {
                Add($"{path}.simulation.bus.failEveryNthRead", "failEveryNthRead is negative.", "Use 0 for no failures, or n ≥ 1.");
            }

            if (bus.TransactionMicroseconds < 0)
            {
                Add($"{path}.simulation.bus.transactionMicroseconds", "transactionMicroseconds is negative.", "Use 0, or the time one bus transfer takes.");
            }

            if (bus.DisconnectedUntilSeconds is { } until && until <= (bus.DisconnectedFromSeconds ?? 0))
            {
                Add($"{path}.simulation.bus.disconnectedUntilSeconds", "the device comes back before it disappears.", "disconnectedUntilSeconds must be later than disconnectedFromSeconds.");
            }
        }
    }

    private void ValidateFault(FaultConfig f, string path)
    {
        if (f.StartSeconds < 0)
        {
            Add($"{path}.startSeconds", "startSeconds is negative.", "Times are seconds since the board started.");
        }

        switch (f.Kind)
        {
            case FaultKind.Imbalance when f.FrequencyHz is null || f.GrowthPerSecond is null:
                Add(path, "an imbalance fault needs frequencyHz and growthPerSecond.", "Add e.g. \"frequencyHz\": 24.5, \"growthPerSecond\": 0.01.");
                break;
            case FaultKind.Step when f.Delta is null:
                Add(path, "a step fault needs delta.", "Add e.g. \"delta\": -0.3.");
                break;
            case FaultKind.Drift when f.GrowthPerSecond is null:
                Add(path, "a drift fault needs growthPerSecond.", "Add e.g. \"growthPerSecond\": 0.01 (the input's unit per second).");
                break;
        }

        if (f.EndSeconds is { } end && end <= f.StartSeconds)
        {
            Add($"{path}.endSeconds", "endSeconds is not after startSeconds.", "Omit endSeconds for a fault that never ends.");
        }
    }

    private void ValidateAlarm(AlarmRuleConfig alarm, string path)
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

    private void ValidateRuntimeSections()
    {
        if (config.Model is { } model && string.IsNullOrWhiteSpace(model.Path))
        {
            Add("$.model.path", "the model path is empty.", "Point to the .elstm file, relative to this config.");
        }

        if (config.Decision is { } decision)
        {
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
                    ValidateAlarm(alarms[i], $"$.decision.alarms[{i}]");
                    string name = alarms[i].Name ?? alarms[i].Output ?? "anomaly";
                    if (!names.Add(name))
                    {
                        Add($"$.decision.alarms[{i}].name", $"the alarm name '{name}' is used twice.", "Give each alarm its own name.");
                    }
                }
            }
            else
            {
                ValidateAlarm(decision, "$.decision");
            }
        }

        IReadOnlyList<SinkConfig> sinks = config.Sinks ?? [];
        for (int i = 0; i < sinks.Count; i++)
        {
            SinkConfig s = sinks[i];
            string p = $"$.sinks[{i}]";
            switch (s.Type)
            {
                case SinkKind.File when string.IsNullOrWhiteSpace(s.Path):
                    Add($"{p}.path", "a file sink needs a path.", "Add \"path\": \"/var/log/edgelstm/frames.bin\".");
                    break;
                case SinkKind.Tcp or SinkKind.Udp when string.IsNullOrWhiteSpace(s.Host) || s.Port is not (>= 1 and <= 65535):
                    Add(p, $"a {s.Type.ToString().ToLowerInvariant()} sink needs host and a port 1–65535.", "Add \"host\": \"collector.local\", \"port\": 7000.");
                    break;
                case SinkKind.Serial when string.IsNullOrWhiteSpace(s.Device) || s.BaudRate is not > 0:
                    Add(p, "a serial sink needs device and baudRate.", "Add \"device\": \"/dev/ttyAMA0\", \"baudRate\": 115200.");
                    break;
            }
        }

        if (config.Health is { } health && !(health.IntervalSeconds > 0))
        {
            Add("$.health.intervalSeconds", "the health interval must be positive.", "Use e.g. 10.");
        }
    }
}
