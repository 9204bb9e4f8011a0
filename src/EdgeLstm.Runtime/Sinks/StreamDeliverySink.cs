using System.Buffers;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// Acknowledged delivery over an ordered byte link (TCP, serial): frames go out COBS-framed with a CRC
/// (docs/protocol.md, stream framing), batched up to 32 KiB per send; Acks come back framed on the same link.
/// </summary>
internal abstract class StreamDeliverySink : DeliverySink
{
    private const int BatchBytes = 32 * 1024;

    private readonly StreamFrameEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _batch = new(BatchBytes + 8 * 1024);
    private readonly byte[] _received = new byte[4096];
    private StreamFrameDecoder _acks = new();
    private int _receivedStart;
    private int _receivedEnd;

    /// <inheritdoc cref="DeliverySink(string, FrameJournal, DeliveryTimings, TextWriter)"/>
    protected StreamDeliverySink(string name, FrameJournal journal, DeliveryTimings timings, TextWriter log)
        : base(name, journal, timings, log)
    {
    }

    /// <summary>Sends all of <paramref name="bytes"/> within the send timeout, or throws.</summary>
    protected abstract void Send(ReadOnlySpan<byte> bytes);

    /// <summary>Reads what has arrived without waiting; returns 0 when nothing has. Throws when the link closed.</summary>
    protected abstract int ReceiveAvailable(Span<byte> buffer);

    /// <summary>Opens the byte link (<see cref="DeliverySink.Connect"/> for the framing state).</summary>
    protected abstract void Open();

    protected sealed override void Connect()
    {
        // A half-read Ack or a half-built batch of the last link means nothing on this one.
        _acks = new StreamFrameDecoder();
        _receivedStart = _receivedEnd = 0;
        _batch.ResetWrittenCount();
        Open();
    }

    protected sealed override void Transmit(in JournalRecord record, ReadOnlySpan<byte> payload)
    {
        _encoder.WritePayload(payload, _batch);
        if (_batch.WrittenCount >= BatchBytes) TransmitPending();
    }

    protected sealed override void TransmitPending()
    {
        if (_batch.WrittenCount == 0) return;
        Send(_batch.WrittenSpan);
        _batch.ResetWrittenCount();
    }

    protected sealed override bool TryReceiveAck(out AckFrame ack)
    {
        while (true)
        {
            if (_receivedStart == _receivedEnd)
            {
                _receivedStart = 0;
                _receivedEnd = ReceiveAvailable(_received);
                if (_receivedEnd == 0)
                {
                    ack = default;
                    return false;
                }
            }
            ReadOnlySpan<byte> input = _received.AsSpan(_receivedStart, _receivedEnd - _receivedStart);
            if (!_acks.TryDecodeNext(input, out int consumed, out DecodeResult result))
            {
                _receivedStart = _receivedEnd; // all of it taken into a frame still incomplete
                continue;
            }
            _receivedStart += consumed;
            if (result.IsFrame && result.FrameType == FrameType.Ack)
            {
                ack = result.Ack;
                return true;
            }
        }
    }
}
