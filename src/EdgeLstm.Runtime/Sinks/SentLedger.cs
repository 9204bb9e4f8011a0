namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// What a link acknowledged by ranges (MQTT through a broker) has sent and not yet released, in sequence order: the
/// journal may release up to the first frame no range Ack has covered yet. Frames the board never sent on the link
/// (evicted from a full journal) are not in the ledger, so they are never waited for. A ring of fixed capacity, filled
/// and emptied by the sender thread alone; a full ledger makes the sender wait for Acks (flow control).
/// </summary>
internal sealed class SentLedger
{
    /// <summary>Frames a link may have outstanding: minutes of a 10 Hz board, a few seconds of a backlog on a LAN.</summary>
    public const int DefaultCapacity = 8192;

    private readonly ulong[] _sequences;
    private readonly bool[] _acknowledged;
    private int _head;
    private int _count;

    /// <summary>An empty ledger holding at most <paramref name="capacity"/> frames.</summary>
    public SentLedger(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sequences = new ulong[capacity];
        _acknowledged = new bool[capacity];
    }

    /// <summary>Frames sent and not yet released.</summary>
    public int Count => _count;

    /// <summary>True when no more frames may be sent until Acks release some.</summary>
    public bool IsFull => _count == _sequences.Length;

    /// <summary>Forgets everything (a new link sends again from the journal's first unacknowledged frame).</summary>
    public void Clear() => (_head, _count) = (0, 0);

    /// <summary>Records a frame sent; sequences must come in increasing order.</summary>
    /// <param name="sequence">The frame's sequence.</param>
    /// <param name="acknowledged">True when an Ack already covered it (an Alarm sent ahead of the backlog).</param>
    public void Add(ulong sequence, bool acknowledged)
    {
        if (IsFull) throw new InvalidOperationException("the ledger is full; wait for Acks before sending more");
        if (_count > 0 && sequence <= _sequences[Slot(_count - 1)])
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sequences enter the ledger in increasing order");
        int slot = Slot(_count++);
        _sequences[slot] = sequence;
        _acknowledged[slot] = acknowledged;
    }

    /// <summary>Marks every frame numbered <paramref name="lowest"/> … <paramref name="highest"/> as committed by the collector.</summary>
    public void Acknowledge(ulong lowest, ulong highest)
    {
        for (int i = FirstAtOrAbove(lowest); i < _count; i++)
        {
            int slot = Slot(i);
            if (_sequences[slot] > highest) break;
            _acknowledged[slot] = true;
        }
    }

    /// <summary>
    /// Drops the acknowledged frames at the front; true with the last one's sequence when any were dropped: the journal
    /// may release everything up to it.
    /// </summary>
    public bool TryRelease(out ulong through)
    {
        through = 0;
        bool released = false;
        while (_count > 0 && _acknowledged[_head])
        {
            through = _sequences[_head];
            released = true;
            _head = (_head + 1) % _sequences.Length;
            _count--;
        }
        return released;
    }

    private int Slot(int index) => (_head + index) % _sequences.Length;

    /// <summary>The index (from the front) of the first frame numbered <paramref name="sequence"/> or more: a binary search, the ledger is sorted.</summary>
    private int FirstAtOrAbove(ulong sequence)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_sequences[Slot(middle)] < sequence) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
