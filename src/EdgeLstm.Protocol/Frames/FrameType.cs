namespace EdgeLstm.Protocol;

/// <summary>
/// The small-integer tag in element 0 of every frame's MessagePack array. Tags are part of the wire format:
/// never renumber them; a new frame kind gets a new tag, and decoders skip tags they do not know.
/// </summary>
public enum FrameType : byte
{
    /// <summary>Board → collector, at start, at connect and on model change: who is talking and what the outputs mean.</summary>
    Hello = 1,

    /// <summary>Board → collector, once per inference: class probabilities and anomaly score.</summary>
    Prediction = 2,

    /// <summary>Board → collector: an alarm condition was raised or cleared.</summary>
    Alarm = 3,

    /// <summary>Board → collector, periodic: counters, latencies and temperature.</summary>
    Health = 4,

    /// <summary>Collector → board: the latest frame received and committed on the link (and so everything sent before it).</summary>
    Ack = 5,

    /// <summary>Board → collector, rare: something happened to the board itself, such as a remote update applied or refused.</summary>
    Event = 6,
}
