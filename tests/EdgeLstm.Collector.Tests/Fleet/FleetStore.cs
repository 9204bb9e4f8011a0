using EdgeLstm.Collector.Cli;
using EdgeLstm.Collector.Storage;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Tests.Fleet;

/// <summary>What a fleet test reads back from the collector's store (a SQLite path or a postgres:// URI), while collectors may still write it.</summary>
internal sealed class FleetStore(string store)
{
    /// <summary>The <c>--store</c> value.</summary>
    public string Store { get; } = store;

    /// <summary>The device's row, or null while it has none (or the database does not exist yet).</summary>
    public DeviceRecord? Device(string deviceId)
    {
        using IFrameStore? opened = StoreOpener.Open(Store, mustExist: true, TextWriter.Null);
        return opened?.Devices().SingleOrDefault(d => d.DeviceId == deviceId);
    }

    /// <summary>
    /// Waits (bounded, polling) until the device has <paramref name="frames"/> distinct frames stored; false when the
    /// time ran out, or at once when <paramref name="until"/> says waiting longer is pointless.
    /// </summary>
    public bool WaitForFrames(string deviceId, long frames, TimeSpan timeout, Func<bool>? until = null)
    {
        bool Stored() => Device(deviceId)?.Frames >= frames;
        SpinWait.SpinUntil(() =>
        {
            Thread.Sleep(100); // a poll opens the store: not in a tight loop
            return Stored() || until?.Invoke() == true;
        }, timeout);
        return Stored();
    }

    /// <summary>
    /// Every frame the board made, 0 … <paramref name="framesEmitted"/> − 1, is stored exactly once: the highest is the
    /// last one made, the count of distinct (device, sequence) rows equals it, and no gap is left open. Every gap
    /// recorded on the way was closed by the frames that filled it. Returns the device's record.
    /// </summary>
    public DeviceRecord AssertEveryFrameOnce(string deviceId, long framesEmitted)
    {
        using IFrameStore opened = Open();
        DeviceRecord? device = opened.Devices().SingleOrDefault(d => d.DeviceId == deviceId);
        Assert.True(device is not null, $"nothing stored for {deviceId}");
        Assert.Equal((ulong)(framesEmitted - 1), device.HighestSequence);
        Assert.Equal(framesEmitted, device.Frames);
        Assert.Equal(0, device.OpenGaps);
        Assert.All(opened.Gaps(deviceId), gap => Assert.NotNull(gap.ClosedUnixMs));
        // Each kind's rows are unique by sequence too (what export reads).
        AssertDistinct(opened.Predictions(deviceId, default).Select(p => p.Sequence));
        return device;
    }

    /// <summary>The store, opened for reading.</summary>
    public IFrameStore Open() => StoreOpener.Open(Store, mustExist: true, TextWriter.Null) ?? throw new InvalidOperationException($"cannot open {Store}");

    /// <summary><c>edgelstm-collector export</c>'s CSV rows (header excluded) for one device and kind.</summary>
    public string[] Export(string deviceId, string frames)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CollectorCli.Invoke(["export", "--store", Store, "--device", deviceId, "--frames", frames, "--format", "csv"], output, error);
        Assert.True(exit == ExitCodes.Success, error.ToString());
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
    }

    private static void AssertDistinct(IEnumerable<ulong> sequences)
    {
        ulong[] all = [.. sequences];
        Assert.Equal(all.Length, all.Distinct().Count());
    }
}
