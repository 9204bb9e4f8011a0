using EdgeLstm.Protocol;

namespace EdgeLstm.LoadTest.Boards;

/// <summary>The fleet's shared counters, updated from the scheduler threads and MQTTnet's receive threads.</summary>
internal sealed class FleetCounters
{
    private long _hellos;
    private long _predictions;
    private long _health;
    private long _alarms;
    private long _publishesInFlight;
    private long _publishFailures;
    private long _acks;
    private long _badAcks;
    private long _ticksSkipped;

    /// <summary>Hello frames sent.</summary>
    public long Hellos => Interlocked.Read(ref _hellos);

    /// <summary>Prediction frames sent.</summary>
    public long Predictions => Interlocked.Read(ref _predictions);

    /// <summary>Health frames sent.</summary>
    public long Health => Interlocked.Read(ref _health);

    /// <summary>Alarm frames sent.</summary>
    public long Alarms => Interlocked.Read(ref _alarms);

    /// <summary>Every frame sent.</summary>
    public long Frames => Hellos + Predictions + Health + Alarms;

    /// <summary>Publishes handed to MQTTnet whose PUBACK has not come back yet.</summary>
    public long PublishesInFlight => Interlocked.Read(ref _publishesInFlight);

    /// <summary>Publishes that failed (connection lost, refused).</summary>
    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    /// <summary>Ack messages received.</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Messages on an Ack topic that were not an Ack.</summary>
    public long BadAcks => Interlocked.Read(ref _badAcks);

    /// <summary>Ticks of boards whose connection was down (nothing sent).</summary>
    public long TicksSkipped => Interlocked.Read(ref _ticksSkipped);

    /// <summary>A board's tick found its connection down.</summary>
    public void TickSkipped() => Interlocked.Increment(ref _ticksSkipped);

    /// <summary>Counts one frame of <paramref name="type"/> sent.</summary>
    public void CountSent(FrameType type) => Interlocked.Increment(ref CounterOf(type));

    /// <summary>A publish was handed to the client.</summary>
    public void PublishStarted() => Interlocked.Increment(ref _publishesInFlight);

    /// <summary>A publish completed, either way.</summary>
    public void PublishEnded() => Interlocked.Decrement(ref _publishesInFlight);

    /// <summary>A publish failed.</summary>
    public void PublishFailed() => Interlocked.Increment(ref _publishFailures);

    private ref long CounterOf(FrameType type)
    {
        switch (type)
        {
            case FrameType.Hello: return ref _hellos;
            case FrameType.Prediction: return ref _predictions;
            case FrameType.Health: return ref _health;
            default: return ref _alarms;
        }
    }

    /// <summary>An Ack arrived.</summary>
    public void AckReceived() => Interlocked.Increment(ref _acks);

    /// <summary>Something other than an Ack arrived on an Ack topic.</summary>
    public void BadAckReceived() => Interlocked.Increment(ref _badAcks);
}
