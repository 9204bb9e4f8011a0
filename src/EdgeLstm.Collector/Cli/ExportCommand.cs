using System.CommandLine;
using System.Globalization;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Cli;

/// <summary>What <c>export --frames</c> takes.</summary>
internal enum ExportFrames
{
    /// <summary>Predictions: status, anomaly score, one column per class probability.</summary>
    Predictions,

    /// <summary>Predictions' model values, one column per output.</summary>
    Values,

    /// <summary>Alarm changes.</summary>
    Alarms,

    /// <summary>Health frames.</summary>
    Health,

    /// <summary>Events: updates applied, refused, rolled back.</summary>
    Events,
}

/// <summary>What <c>export --format</c> takes.</summary>
internal enum ExportFormat
{
    /// <summary>Comma-separated values with a header row.</summary>
    Csv,
}

/// <summary><c>edgelstm-collector export</c>: one device's frames to stdout, for a spreadsheet or a retraining script.</summary>
internal static class ExportCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        Option<string> store = CollectorCli.StoreOption();
        var device = new Option<string>("--device", "-d") { Description = "The device to export.", Required = true };
        var frames = new Option<ExportFrames>("--frames") { Description = "Which frames: predictions, values, alarms, health or events.", Required = true };
        var from = new Option<string?>("--from") { Description = "Only frames at or after this time (ISO-8601, UTC unless an offset is given)." };
        var to = new Option<string?>("--to") { Description = "Only frames before this time (ISO-8601)." };
        var format = new Option<ExportFormat>("--format") { Description = "Output format. Default: csv.", DefaultValueFactory = _ => ExportFormat.Csv };
        var command = new Command("export", "Write one device's frames to stdout: a header row, absolute UTC timestamps, invariant culture.") { store, device, frames, from, to, format };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            TextWriter error = result.InvocationConfiguration.Error;
            if (!Csv.TryParseTime(result.GetValue(from), out long? fromMs) || !Csv.TryParseTime(result.GetValue(to), out long? toMs))
            {
                error.WriteLine("edgelstm-collector: --from and --to take ISO-8601 times, e.g. 2026-11-28T06:00:00Z.");
                return ExitCodes.BadInput;
            }
            using IFrameStore? opened = StoreOpener.Open(result.GetValue(store)!, mustExist: true, error);
            if (opened is null) return ExitCodes.BadInput;
            Write(opened, result.GetValue(device)!, result.GetValue(frames), new TimeRange(fromMs, toMs), output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes the export of <paramref name="kind"/> frames of <paramref name="device"/>.</summary>
    public static void Write(IFrameStore store, string device, ExportFrames kind, TimeRange range, TextWriter output)
    {
        switch (kind)
        {
            case ExportFrames.Predictions:
                WritePredictions(store, device, range, output);
                break;
            case ExportFrames.Values:
                WriteValues(store, device, range, output);
                break;
            case ExportFrames.Alarms:
                AlarmCsv.Header(output, withDevice: false);
                foreach (AlarmRecord alarm in store.Alarms(device, openOnly: false))
                {
                    if (InRange(alarm.TimeUnixMs, range)) AlarmCsv.Row(output, alarm, withDevice: false);
                }
                break;
            case ExportFrames.Events:
                WriteEvents(store, device, range, output);
                break;
            default:
                WriteHealth(store, device, range, output);
                break;
        }
    }

    private static bool InRange(long? time, TimeRange range) =>
        (range.FromUnixMs is null || time >= range.FromUnixMs) && (range.ToUnixMs is null || time < range.ToUnixMs);

    /// <summary>Column names from the latest session's labels when there are as many, else by index.</summary>
    private static string[] Columns(IReadOnlyList<string> labels, int count, string prefix) =>
        [.. Enumerable.Range(0, count).Select(i => Csv.Field(prefix + (labels.Count == count ? labels[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture))))];

    private static void WritePredictions(IFrameStore store, string device, TimeRange range, TextWriter output)
    {
        IReadOnlyList<PredictionRecord> rows = store.Predictions(device, range);
        int classes = rows.Count == 0 ? 0 : rows.Max(r => r.Probabilities.Length);
        Csv.Row(output, ["time_utc", "sequence", "degraded", "model_reset", "anomaly_score", "historical", .. Columns(store.OutputLabels(device), classes, "p_")]);
        foreach (PredictionRecord p in rows)
        {
            var status = (PredictionStatus)p.Status;
            IEnumerable<string> probabilities = Enumerable.Range(0, classes)
                .Select(i => i < p.Probabilities.Length ? Csv.Number(Quantization.FromProbabilityByte(p.Probabilities[i])) : "");
            Csv.Row(output, [Csv.Time(p.TimeUnixMs), Csv.Number(p.Sequence), (status & PredictionStatus.Degraded) != 0 ? "1" : "0",
                (status & PredictionStatus.ModelReset) != 0 ? "1" : "0", Csv.Number(Quantization.FromAnomalyLevel((byte)p.AnomalyLevel)), p.Historical ? "1" : "0", .. probabilities]);
        }
    }

    private static void WriteValues(IFrameStore store, string device, TimeRange range, TextWriter output)
    {
        IReadOnlyList<PredictionRecord> rows = store.Predictions(device, range);
        int count = rows.Count == 0 ? 0 : rows.Max(r => r.Values.Length);
        Csv.Row(output, ["time_utc", "sequence", "historical", .. Columns(store.OutputLabels(device), count, "")]);
        foreach (PredictionRecord p in rows)
        {
            Csv.Row(output, [Csv.Time(p.TimeUnixMs), Csv.Number(p.Sequence), p.Historical ? "1" : "0",
                .. Enumerable.Range(0, count).Select(i => i < p.Values.Length ? Csv.Number(p.Values[i]) : "")]);
        }
    }

    private static void WriteEvents(IFrameStore store, string device, TimeRange range, TextWriter output)
    {
        Csv.Row(output, ["time_utc", "sequence", "kind", "update_version", "model_id", "message"]);
        foreach (EventRecord e in store.Events(device, range))
        {
            Csv.Row(output, [Csv.Time(e.TimeUnixMs), Csv.Number(e.Sequence), Csv.Field(Monitor.Pages.UpdateBadges.Words(e.Kind)), Csv.Number(e.UpdateVersion),
                Csv.Field(e.ModelId), Csv.Field(e.Message)]);
        }
    }

    private static void WriteHealth(IFrameStore store, string device, TimeRange range, TextWriter output)
    {
        Csv.Row(output, ["time_utc", "sequence", "uptime_seconds", "samples_read", "overruns", "channel_read_errors", "inference_p50_us", "inference_p99_us",
            "inference_max_us", "send_queue_depth", "send_queue_drops", "cpu_temperature_c", "journal_backlog", "journal_evictions", "journal_damaged",
            "channel_read_timeouts", "channel_non_finite", "model_resets", "historical", "alarm_thresholds"]);
        foreach (HealthRecord h in store.Health(device, range))
        {
            Csv.Row(output, [Csv.Time(h.TimeUnixMs), Csv.Number(h.Sequence), Csv.Number(h.UptimeSeconds), Csv.Number(h.SamplesRead), Csv.Number(h.Overruns),
                Csv.Field(h.ChannelReadErrors), Csv.Number(h.InferenceP50Us), Csv.Number(h.InferenceP99Us), Csv.Number(h.InferenceMaxUs), Csv.Number(h.SendQueueDepth),
                Csv.Number(h.SendQueueDrops), h.CpuTemperatureMilliCelsius is long t ? Csv.Number(t / 1000.0) : "", Csv.Number(h.JournalBacklog),
                Csv.Number(h.JournalEvictions), Csv.Number(h.JournalDamaged), Csv.Field(h.ChannelReadTimeouts), Csv.Field(h.ChannelNonFinite),
                Csv.Number(h.ModelResets), h.Historical ? "1" : "0", Csv.Field(Thresholds(h.AlarmThresholds))]);
        }
    }

    /// <summary>The thresholds as the other arrays are written, e.g. <c>[2.1977,1.6483]</c>; NaN (not commissioned yet) as NaN.</summary>
    private static string Thresholds(float[] thresholds) =>
        "[" + string.Join(',', thresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
