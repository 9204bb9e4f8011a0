using EdgeLstm.Collector.Storage;
using EdgeLstm.Collector.Tests.Servers;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Storage;

/// <summary>
/// The rules every <see cref="IFrameStore"/> keeps, run once per store by the classes deriving from this one
/// (<see cref="SqliteFrameStoreTests"/>, <see cref="PostgresFrameStoreTests"/>): each test has a database of its own.
/// </summary>
public abstract class FrameStoreContract
{
    /// <summary>A store on this test's database; a second call opens the same database again.</summary>
    private protected abstract IFrameStore Open();

    [StoreFact]
    public void The_same_frames_twice_are_stored_once_and_counted_as_duplicates()
    {
        using IFrameStore store = Open();
        List<ReceivedFrame> batch = Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Alarm(2, raised: true), Frames.Prediction(3));

        CommitResult first = store.Commit(batch);
        CommitResult second = store.Commit(batch);

        Assert.Equal(new CommitResult(4, 0, 0, 0), first);
        Assert.Equal(new CommitResult(0, 4, 0, 0), second);
        IReadOnlyList<PredictionRecord> predictions = store.Predictions("pump-07", default);
        Assert.Equal([1UL, 3UL], predictions.Select(p => p.Sequence));
        Assert.Equal((long)(Frames.Epoch + 30), predictions[1].TimeUnixMs); // epoch + timeMs of the governing Hello
        Assert.Equal([200, 55], predictions[0].Probabilities);
        Assert.Single(store.Alarms("pump-07", openOnly: true));
        DeviceRecord device = Assert.Single(store.Devices());
        Assert.Equal(4, device.Frames);
        Assert.Equal(Frames.Session, device.LatestSession);
        Assert.Equal("bearing-lstm@3f2a", device.ModelId);
        Assert.Equal(["normal", "fault"], store.OutputLabels("pump-07"));
    }

    [StoreFact]
    public void The_same_sequence_from_another_device_is_not_a_duplicate()
    {
        using IFrameStore store = Open();
        store.Commit(Frames.Received("a", Frames.Hello(0, "a"), Frames.Prediction(1)));
        CommitResult other = store.Commit(Frames.Received("b", Frames.Hello(0, "b"), Frames.Prediction(1)));
        Assert.Equal(2, other.Stored);
        Assert.Equal(2, store.Devices().Count);
    }

    [StoreFact]
    public void A_jump_records_a_gap_and_the_late_frames_close_it()
    {
        using IFrameStore store = Open();
        CommitResult jumped = store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Prediction(5)));
        Assert.Equal(1, jumped.GapsOpened);
        GapRecord gap = Assert.Single(store.Gaps("pump-07"));
        Assert.Equal((2UL, 4UL, (long?)null, Frames.Session), (gap.FromSequence, gap.ToSequence, gap.ClosedUnixMs, gap.SessionId));

        // The middle frame arrives (a resend): the gap splits around it.
        store.Commit(Frames.Received("pump-07", Frames.Prediction(3)));
        Assert.Equal([(2UL, 2UL), (4UL, 4UL)], store.Gaps("pump-07").Select(g => (g.FromSequence, g.ToSequence)));
        Assert.Equal(2, store.Devices()[0].OpenGaps);

        CommitResult filled = store.Commit(Frames.Received("pump-07", Frames.Prediction(2), Frames.Prediction(4)));
        Assert.Equal(2, filled.GapsClosed);
        Assert.All(store.Gaps("pump-07"), g => Assert.NotNull(g.ClosedUnixMs));
        Assert.Equal(0, store.Devices()[0].OpenGaps);
        Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], store.Predictions("pump-07", default).Select(p => p.Sequence));
    }

    [StoreFact]
    public void Without_a_link_session_a_gap_takes_the_session_of_the_frames_Hello()
    {
        using IFrameStore store = Open();
        const ulong second = 0x1111_2222_3333_4444;
        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Hello(10, session: second), Frames.Prediction(15)));

        IReadOnlyList<GapRecord> gaps = store.Gaps("pump-07");
        Assert.Equal([(2UL, 9UL, Frames.Session), (11UL, 14UL, second)], gaps.Select(g => (g.FromSequence, g.ToSequence, g.SessionId)));
    }

    [StoreFact]
    public void A_Hello_stored_after_its_frames_gives_them_its_session_and_time()
    {
        using IFrameStore store = Open();
        const ulong later = 0x5555_6666_7777_8888;
        const ulong laterEpoch = Frames.Epoch + 3_600_000;
        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Prediction(1), Frames.Alarm(2, raised: true), Frames.Health(3), Frames.Prediction(6), Frames.Prediction(7)));
        Assert.All(store.Predictions("pump-07", default), p => Assert.Null(p.TimeUnixMs));

        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Hello(5, session: later, epoch: laterEpoch)));
        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Hello(0)));

        // 1…4 belong to Hello 0, 6 and 7 to Hello 5: each frame to the latest Hello below it, whatever the arrival order.
        Assert.Equal([(1UL, Frames.Session, (long?)(Frames.Epoch + 10)), (6UL, later, (long?)(laterEpoch + 60)), (7UL, later, (long?)(laterEpoch + 70))],
            store.Predictions("pump-07", default).Select(p => (p.Sequence, p.SessionId, p.TimeUnixMs)));
        AlarmRecord alarm = Assert.Single(store.Alarms("pump-07", openOnly: false));
        Assert.Equal((Frames.Session, (long?)(Frames.Epoch + 5)), (alarm.SessionId, alarm.TimeUnixMs));
        HealthRecord health = Assert.Single(store.Health("pump-07", default));
        Assert.Equal((Frames.Session, (long?)(Frames.Epoch + 30)), (health.SessionId, health.TimeUnixMs));
        Assert.Equal(later, store.Devices()[0].LatestSession);
    }

    [StoreFact]
    public void Health_frames_keep_every_field_and_exports_select_by_time()
    {
        using IFrameStore store = Open();
        store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Health(1), Frames.Prediction(2), Frames.Prediction(3)));

        HealthRecord health = Assert.Single(store.Health("pump-07", default));
        Assert.Equal((60L, 6000L, (long?)51_500, "[0,1]", "[2,0]"),
            (health.UptimeSeconds, health.SamplesRead, health.CpuTemperatureMilliCelsius, health.ChannelReadErrors, health.ChannelNonFinite));
        Assert.Equal([0.8f, 0.6f, float.NaN, float.NaN], health.AlarmThresholds);
        long from = (long)Frames.Epoch + 25, to = (long)Frames.Epoch + 31;
        Assert.Equal([3UL], store.Predictions("pump-07", new TimeRange(from, to)).Select(p => p.Sequence));
        Assert.Empty(store.Health("pump-07", new TimeRange(from, null)));
    }

    [StoreFact]
    public void Events_are_stored_once_with_board_time_and_a_late_Hello_gives_them_theirs()
    {
        using IFrameStore store = Open();
        const string hostile = "<script>alert(1)</script> ' \" é";
        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Event(3, BoardEventKind.UpdateRefused, hostile, version: 7)));
        Assert.Null(Assert.Single(store.Events("pump-07", default)).TimeUnixMs); // no Hello yet: time unknown

        store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Hello(0), Frames.Prediction(1), Frames.Event(2)));
        CommitResult resent = store.Commit(Frames.ReceivedWithoutLinkSession("pump-07", Frames.Event(2), Frames.Event(3, BoardEventKind.UpdateRefused, hostile, version: 7)));

        Assert.Equal((0, 2), (resent.Stored, resent.Duplicates));
        IReadOnlyList<EventRecord> events = store.Events("pump-07", default);
        Assert.Equal(
            [new EventRecord("pump-07", 2, Frames.Session, (long)Frames.Epoch + 20, (int)BoardEventKind.UpdateApplied, 1_796_000_000_000, "1f0e2d3c4b5a6978", "model 1f0e2d3c4b5a6978 applied"),
             new EventRecord("pump-07", 3, Frames.Session, (long)Frames.Epoch + 30, (int)BoardEventKind.UpdateRefused, 7, "1f0e2d3c4b5a6978", hostile)],
            events);
        Assert.Equal([3UL], store.Events(null, new TimeRange((long)Frames.Epoch + 25, null)).Select(e => e.Sequence));
        Assert.Equal(4, store.Devices()[0].Frames);
        Assert.Equal(3UL, Assert.Single(((IMonitorStore)store).LatestEvents()).Sequence);
    }

    [StoreFact]
    public void Pushes_are_recorded_per_device_oldest_first()
    {
        using IFrameStore store = Open();
        var model = new PushRecord("pump-07", "model", 1_796_000_000_000, "1f0e2d3c4b5a6978", "", new string('a', 64), 1_796_000_000_000, 1_796_003_600_000);
        var thresholds = new PushRecord("pump-07", "thresholds", 1_796_000_000_500, "", "anomaly=2.5:1.8", new string('a', 64), 1_796_000_000_500, 1_796_003_600_500);
        store.RecordPush(thresholds);
        store.RecordPush(model);
        store.RecordPush(model with { DeviceId = "fan-01" });

        Assert.Equal([model, thresholds], store.Pushes("pump-07"));
        Assert.Equal(3, store.Pushes(null).Count);
    }

    [StoreFact]
    public void Online_status_is_kept_per_device_and_an_older_one_is_ignored()
    {
        using IFrameStore store = Open();
        store.Commit(Frames.Received("pump-07", Frames.Hello(0)));
        Assert.Null(store.Devices()[0].Online);

        store.RecordStatus("pump-07", online: true, 2_000);
        store.RecordStatus("pump-07", online: false, 1_000); // late delivery of an older message
        store.RecordStatus("fan-01", online: false, 3_000); // a device known only by its status

        IReadOnlyList<DeviceRecord> devices = store.Devices();
        Assert.Equal([("fan-01", (bool?)false, (long?)3_000), ("pump-07", true, 2_000)], devices.Select(d => (d.DeviceId, d.Online, d.StatusChangedUnixMs)));
        Assert.Equal(0, devices[0].Frames);
    }

    [StoreFact]
    public void A_failed_batch_stores_nothing_of_itself()
    {
        using IFrameStore store = Open();
        store.Commit(Frames.Received("pump-07", Frames.Hello(0)));
        List<ReceivedFrame> batch = Frames.Received("pump-07", Frames.Prediction(1), Frames.Prediction(2));
        // An Ack frame is never stored: handing one over fails the batch after its first frame was written.
        batch.Add(new ReceivedFrame("pump-07", Frames.Session, default));
        Assert.Throws<ArgumentException>(() => store.Commit(batch));
        Assert.Empty(store.Predictions("pump-07", default));
        Assert.Equal(1, store.Devices()[0].Frames);
    }

    [StoreFact]
    public void A_device_id_is_data_not_SQL()
    {
        using IFrameStore store = Open();
        const string hostile = "x'); DROP TABLE predictions; --";
        store.Commit(Frames.Received(hostile, Frames.Hello(0, hostile), Frames.Prediction(1)));
        Assert.Equal(hostile, Assert.Single(store.Devices()).DeviceId);
        Assert.Single(store.Predictions(hostile, default));
    }

    [StoreFact]
    public void What_was_committed_is_there_after_reopening()
    {
        using (IFrameStore store = Open()) store.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1)));
        using IFrameStore again = Open();
        Assert.Single(again.Predictions("pump-07", default));
        Assert.Equal(new CommitResult(0, 2, 0, 0), again.Commit(Frames.Received("pump-07", Frames.Hello(0), Frames.Prediction(1))));
    }
}
