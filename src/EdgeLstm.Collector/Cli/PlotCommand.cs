using System.CommandLine;
using EdgeLstm.Collector.Monitor.Charts;
using EdgeLstm.Collector.Monitor.Png;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector plot</c>: one device's timeline as a PNG for a report, drawn from the same series as its monitor page.</summary>
internal static class PlotCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        Option<string> store = CollectorCli.StoreOption();
        var device = new Option<string>("--device", "-d") { Description = "The device to plot.", Required = true };
        var from = new Option<string?>("--from") { Description = "From this time (ISO-8601, UTC unless an offset is given). Default: a day before the device's newest prediction." };
        var to = new Option<string?>("--to") { Description = "Until this time (ISO-8601, exclusive). Default: open." };
        var output = new Option<string>("--output", "-o") { Description = "The PNG file to write.", Required = true };
        var width = new Option<int>("--width") { Description = "Image width in pixels (100…10000). Default: 1200.", DefaultValueFactory = _ => 1200 };
        var height = new Option<int>("--height") { Description = "Image height in pixels (100…10000). Default: 600.", DefaultValueFactory = _ => 600 };
        var command = new Command("plot", "Draw one device's timeline as a PNG: anomaly score and class probabilities with alarm periods shaded, inference latency, read errors per channel (the device page's charts).")
        {
            store, device, from, to, output, width, height,
        };
        command.SetAction(result =>
        {
            TextWriter error = result.InvocationConfiguration.Error;
            string id = result.GetValue(device)!;
            (int w, int h) = (result.GetValue(width), result.GetValue(height));
            if (!Csv.TryParseTime(result.GetValue(from), out long? fromMs) || !Csv.TryParseTime(result.GetValue(to), out long? toMs))
                return Refuse(error, "--from and --to take ISO-8601 times, e.g. 2026-11-28T06:00:00Z.");
            if (fromMs >= toMs) return Refuse(error, "--from must be before --to.");
            if (w is < 100 or > 10_000 || h is < 100 or > 10_000) return Refuse(error, "--width and --height take 100 to 10000 pixels.");
            using IFrameStore? opened = StoreOpener.Open(result.GetValue(store)!, mustExist: true, error);
            if (opened is null) return ExitCodes.BadInput;
            if (!opened.Devices().Any(d => d.DeviceId == id)) return Refuse(error, $"no device {id} in the database.");
            TimeRange range = DeviceCharts.RangeOrDefault((IMonitorStore)opened, id, fromMs, toMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            DeviceChartSet charts = DeviceCharts.All(opened, (IMonitorStore)opened, id, range);
            if (charts.IsEmpty) return Refuse(error, $"no predictions or health of {id} between {Csv.Time(range.FromUnixMs)} and {(range.ToUnixMs is null ? "now" : Csv.Time(range.ToUnixMs))}.");
            string path = result.GetValue(output)!;
            try
            {
                TimelinePng.Save(charts, id, path, w, h);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return Refuse(error, $"cannot write {path}: {e.Message.ReplaceLineEndings(" ")}");
            }
            result.InvocationConfiguration.Output.WriteLine($"{path}: {id}, {charts.Predictions.Count} predictions, {charts.HealthCount} health frames, {Csv.Time(charts.Outputs.FromUnixMs)} to {Csv.Time(charts.Outputs.ToUnixMs)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"edgelstm-collector: {message}");
        return ExitCodes.BadInput;
    }
}
