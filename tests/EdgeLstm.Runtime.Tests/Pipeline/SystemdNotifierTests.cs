using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Runtime.Tests.Pipeline;

/// <summary>sd_notify from the sampling loop, read from a real datagram socket the test binds as systemd would.</summary>
public class SystemdNotifierTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30); // a hang guard, not a speed check

    [Fact]
    public void Without_a_notify_socket_there_is_no_notifier()
    {
        Assert.Null(SystemdNotifier.Create(_ => null, 1, TextWriter.Null));
        Assert.Null(SystemdNotifier.Create(n => n == "NOTIFY_SOCKET" ? "" : null, 1, TextWriter.Null));
    }

    [Fact]
    public void An_unsupported_or_unreachable_socket_is_reported_and_ignored()
    {
        var log = new StringWriter();
        Assert.Null(SystemdNotifier.Create(n => n == "NOTIFY_SOCKET" ? "vsock:2:1234" : null, 1, log));
        Assert.Null(SystemdNotifier.Create(n => n == "NOTIFY_SOCKET" ? "/nonexistent/notify" : null, 1, log));
        string text = log.ToString();
        Assert.Contains("NOTIFY_SOCKET 'vsock:2:1234' is not a path or an abstract socket", text, StringComparison.Ordinal);
        Assert.Contains("cannot connect to NOTIFY_SOCKET '/nonexistent/notify'", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "200000", true)]
    [InlineData("4242", "200000", true)]
    [InlineData("4243", "200000", false)] // another process's watchdog (sd_watchdog_enabled(3))
    [InlineData(null, "0", false)]
    [InlineData(null, "lots", false)]
    [InlineData(null, null, false)]
    public void The_watchdog_is_ours_only_when_WATCHDOG_PID_is_unset_or_ours(string? watchdogPid, string? watchdogUsec, bool petted)
    {
        using var systemd = new NotifySocket();
        using SystemdNotifier notifier = systemd.Notifier(watchdogUsec, watchdogPid, processId: 4242)!;
        Assert.Equal(petted, notifier.Watchdog is not null);
        Assert.Equal(petted ? TimeSpan.FromMilliseconds(50) : null, notifier.PetInterval);
    }

    [Fact]
    public void An_abstract_socket_name_is_reached()
    {
        string name = $"@edgelstm-test-{Guid.NewGuid():N}";
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint("\0" + name[1..]));
        using SystemdNotifier notifier = SystemdNotifier.Create(n => n == "NOTIFY_SOCKET" ? name : null, 1, TextWriter.Null)!;
        notifier.OnSample();
        byte[] buffer = new byte[64];
        server.ReceiveTimeout = (int)Guard.TotalMilliseconds;
        Assert.Equal("READY=1", Encoding.ASCII.GetString(buffer, 0, server.Receive(buffer)));
    }

    [Fact]
    public async Task A_live_loop_says_ready_pets_the_watchdog_and_says_stopping_even_with_a_sensor_hung_for_good()
    {
        // The ADC's bus hangs 0.3 s into the run and never recovers: the read deadline keeps the loop alive, so the pets go on.
        using var board = new TestBoard();
        using var systemd = new NotifySocket();
        using SystemdNotifier notifier = systemd.Notifier("200000")!; // 200 ms: a pet at least every 50 ms
        using var stop = new CancellationTokenSource();
        long samples = 0;
        Sampler? sampler = null;
        Task run = Task.Run(() =>
        {
            var clock = new SystemMonotonicClock();
            using var pipeline = new LivePipeline(board, clock);
            sampler = pipeline.Sensors.Sampler;
            // Set here, not in the board file: the binding's constructor talks to the chip, and start-up may take 0.3 s.
            pipeline.Sensors.SimulatedBusFaults["adc0"].BlockedFromNanoseconds = clock.NowNanoseconds + 300_000_000;
            samples = pipeline.Pipeline.Run(stop.Token, systemd: notifier);
            pipeline.Sensors.SimulatedBusFaults["adc0"].BlockedUntilNanoseconds = 0; // let the hung read end with the test
        });

        Assert.True(systemd.WaitFor(m => m.Count(x => x == "WATCHDOG=1") >= 20 || run.IsCompleted, Guard), "the watchdog was not petted");
        Assert.False(run.IsCompleted, $"the loop ended: {run.Exception}");
        stop.Cancel();
        await run.WaitAsync(Guard);
        Assert.True(systemd.WaitFor(m => m.Contains("STOPPING=1"), Guard));

        List<string> messages = systemd.Messages;
        Assert.Equal("READY=1", messages[0]);
        Assert.Equal("STOPPING=1", messages[^1]);
        Assert.All(messages.Skip(1).SkipLast(1), m => Assert.Equal("WATCHDOG=1", m));
        Assert.Equal(notifier.Sent, messages.Count);
        Assert.True(sampler!.Counters.Channels[0].Timeouts > 0, "the hung sensor was not abandoned at its deadline");
        Assert.Equal(1, sampler.Counters.Devices[0].Timeouts);
        Assert.True(samples > 50, $"{samples} samples"); // at 100 Hz for twenty pet intervals of 50 ms at least
    }

    [Fact]
    public async Task A_wedged_sampling_loop_stops_petting_and_a_resumed_one_pets_again()
    {
        using var board = new TestBoard();
        using var systemd = new NotifySocket();
        using SystemdNotifier notifier = systemd.Notifier("200000")!;
        using var clock = new WedgeableClock();
        using var stop = new CancellationTokenSource();
        Task run = Task.Run(() =>
        {
            using var pipeline = new LivePipeline(board, clock);
            pipeline.Pipeline.Run(stop.Token, systemd: notifier);
        });

        Assert.True(systemd.WaitFor(m => m.Count(x => x == "WATCHDOG=1") >= 3, Guard), "the watchdog was not petted");
        clock.Wedge();
        Assert.True(clock.WaitUntilWedged(Guard), "the loop never reached its wait");
        long sentWhenWedged = notifier.Sent; // the loop's thread is held: nothing can send from now on
        Thread.Sleep(500); // ten pet intervals
        Assert.Equal(sentWhenWedged, notifier.Sent);
        Assert.True(systemd.WaitFor(m => m.Count == sentWhenWedged, Guard));

        clock.Release();
        Assert.True(systemd.WaitFor(m => m.Count > sentWhenWedged && m[^1] == "WATCHDOG=1", Guard), "petting did not resume");
        stop.Cancel();
        await run.WaitAsync(Guard);
    }

    [Fact]
    public void Petting_allocates_nothing()
    {
        using var systemd = new NotifySocket();
        using SystemdNotifier notifier = systemd.Notifier("4")!; // 4 µs: nearly every call sends
        notifier.OnSample();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            notifier.OnSample();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(notifier.Sent + notifier.Failed > 100, $"{notifier.Sent} sent, {notifier.Failed} failed"); // a full queue fails a send, never blocks
    }

    [Fact]
    public void The_systemd_unit_waits_for_ready_and_restarts_a_process_that_stops_petting()
    {
        string[] lines = File.ReadAllLines(Repository.FirmwareConfig("systemd/edgelstm.service"));
        int service = Array.IndexOf(lines, "[Service]"), install = Array.IndexOf(lines, "[Install]");
        string[] keys = [.. lines[(service + 1)..install].Where(l => l.Length > 0 && l[0] != '#')];
        Assert.Contains("Type=notify", keys);
        Assert.Contains("NotifyAccess=main", keys);
        Assert.Contains("Restart=always", keys);
        int watchdogSeconds = int.Parse(Assert.Single(keys, k => k.StartsWith("WatchdogSec=", StringComparison.Ordinal))["WatchdogSec=".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // Every example board samples often enough for the loop to pet within a quarter of the timeout.
        foreach (string file in Directory.GetFiles(Repository.Path("firmware-config"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)))
        {
            double rateHz = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!["sampler"]!["rateHz"]!.GetValue<double>();
            Assert.True(1 / rateHz < watchdogSeconds / 4.0, $"{Path.GetFileName(file)}: {rateHz} Hz is too slow for WatchdogSec={watchdogSeconds}");
        }
    }

    /// <summary>The test board as <c>edgelstm run</c> wires it, on a wall clock, to no output.</summary>
    private sealed class LivePipeline : IDisposable
    {
        private readonly FrameEmitter _emitter;

        public LivePipeline(TestBoard board, MonotonicClock clock)
        {
            RuntimeSetup setup = RuntimeSetup.Load(board.ConfigPath, null, RunOverrides.None, out List<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
            Sensors = SensorBoard.Create(setup.Board, clock);
            _emitter = setup.CreateEmitter(SinkFactory.Create(setup.Sections.Sinks, setup.Board.BaseDirectory, true, Stream.Null, TextWriter.Null));
            Pipeline = setup.CreatePipeline(Sensors, _emitter, TextWriter.Null);
        }

        public SensorBoard Sensors { get; }

        public BoardPipeline Pipeline { get; }

        public void Dispose()
        {
            Pipeline.Dispose();
            _emitter.Dispose();
            Sensors.Dispose();
        }
    }

    /// <summary>The wall clock, with a switch that holds the sampling thread in its wait: a wedged loop.</summary>
    private sealed class WedgeableClock : MonotonicClock, IDisposable
    {
        private readonly SystemMonotonicClock _inner = new();
        private readonly ManualResetEventSlim _open = new(true);
        private readonly ManualResetEventSlim _held = new(false);

        public override long NowNanoseconds => _inner.NowNanoseconds;

        public void Wedge() => _open.Reset();

        public void Release() => _open.Set();

        public void Dispose()
        {
            _open.Dispose();
            _held.Dispose();
        }

        public bool WaitUntilWedged(TimeSpan timeout) => _held.Wait(timeout);

        public override void WaitUntil(long deadlineNanoseconds, CancellationToken cancellationToken)
        {
            if (!_open.IsSet)
            {
                _held.Set();
                _open.Wait(CancellationToken.None); // held even when cancelled: a wedge does not listen
                _held.Reset();
            }

            _inner.WaitUntil(deadlineNanoseconds, cancellationToken);
        }
    }
}
