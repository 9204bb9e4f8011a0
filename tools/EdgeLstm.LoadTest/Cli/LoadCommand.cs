using System.CommandLine;
using System.Text.Json;
using EdgeLstm.Core;
using EdgeLstm.LoadTest.Measurement;

namespace EdgeLstm.LoadTest.Cli;

/// <summary>The root command of <c>edgelstm-loadtest</c>: its options, their checks, and the run.</summary>
internal static class LoadCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The command; <paramref name="stop"/> ends a run early, as Ctrl+C does.</summary>
    public static RootCommand Create(CancellationToken stop)
    {
        var broker = new Option<string>("--broker") { Description = "The broker, on loopback: mqtt://127.0.0.1:PORT.", Required = true };
        var boards = new Option<int>("--boards") { Description = "Simulated boards, each its own MQTT client. Default: 1000.", DefaultValueFactory = _ => 1000 };
        var rate = new Option<double>("--rate-hz") { Description = "Predictions per second per board. Default: 10.", DefaultValueFactory = _ => 10 };
        var duration = new Option<int>("--duration") { Description = "Seconds of publishing once the fleet is up. Default: 60.", DefaultValueFactory = _ => 60 };
        var prefix = new Option<string>("--device-prefix") { Description = "Device ids are this and the board's number. Default: load-.", DefaultValueFactory = _ => "load-" };
        var connectRate = new Option<double>("--connect-rate") { Description = "New connections per second while the fleet comes up. Default: 200.", DefaultValueFactory = _ => 200 };
        var drain = new Option<int>("--drain-timeout") { Description = "Seconds to wait for the last Acks after publishing stops. Default: 30.", DefaultValueFactory = _ => 30 };
        var watch = new Option<string[]>("--watch") { Description = "NAME=PID of a process whose CPU and memory to sample over the publishing window (repeatable; e.g. a collector, the broker).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Write the results as JSON to stdout (progress stays on stderr)." };
        var root = new RootCommand("edgelstm-loadtest: simulated boards as MQTT clients against a broker and its collectors; measures publish -> range Ack latency, throughput and frames lost.")
        {
            broker, boards, rate, duration, prefix, connectRate, drain, watch, json,
        };
        root.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output;
            TextWriter error = result.InvocationConfiguration.Error;
            LoadPlan? plan = LoadPlan.TryCreate(result.GetValue(broker)!, result.GetValue(boards), result.GetValue(rate), result.GetValue(duration),
                result.GetValue(prefix)!, result.GetValue(connectRate), result.GetValue(drain), out string problem);
            IReadOnlyList<ProcessSampler>? watched = plan is null ? null : WatchList.TryParse(result.GetValue(watch) ?? [], out problem);
            if (plan is null || watched is null)
            {
                error.WriteLine($"edgelstm-loadtest: {problem}");
                return ExitCodes.BadInput;
            }
            watched = [.. watched, new ProcessSampler("loadtest", Environment.ProcessId)]; // the boards share the machine's cores with what they load
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
            limit.CancelAfter(plan.HardLimit); // the run ends by then whatever the broker does
            LoadReport report = new FleetRunner(plan, watched, error).RunAsync(limit.Token).GetAwaiter().GetResult();
            if (result.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            else foreach (string line in report.Lines()) output.WriteLine(line);
            return report.FramesLost == 0 && report.BoardsConnected == plan.Boards ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return root;
    }
}
