using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Storage;

/// <summary>
/// A decoded frame as an ingest hands it to the store: the device it came from (Hello's id on a TCP link; the topic
/// for an MQTT ingest) and the session of the latest Hello seen on that link.
/// </summary>
/// <param name="DeviceId">The device the frame belongs to (untrusted text: only ever a SQL parameter).</param>
/// <param name="LinkSessionId">The session of the latest Hello on the link the frame came over; 0 when the link does not know it
/// (MQTT has no link Hello): the store then takes the session of the frame's governing Hello.</param>
/// <param name="Frame">The decoded frame: Hello, Prediction, Alarm or Health.</param>
internal readonly record struct ReceivedFrame(string DeviceId, ulong LinkSessionId, DecodeResult Frame);
