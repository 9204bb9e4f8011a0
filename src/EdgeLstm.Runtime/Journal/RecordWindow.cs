namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// A reused read buffer over one journal file: records are parsed from it, and the file is read again only when a
/// record is not wholly inside. One per thread that reads (the writer, each reader); allocates only at construction.
/// </summary>
internal sealed class RecordWindow(int bytes)
{
    private readonly byte[] _buffer = new byte[Math.Max(bytes, 2 * JournalFormat.MaxRecordBytes)];
    private JournalFile? _file;
    private long _start;
    private int _count;

    /// <summary>Forgets what was read (the file was rewritten or truncated).</summary>
    public void Invalidate() => _file = null;

    /// <summary>
    /// The bytes of <paramref name="file"/> from <paramref name="offset"/>: at least <paramref name="wanted"/> of them unless
    /// the file (of which only the first <paramref name="length"/> bytes count) ends first.
    /// </summary>
    public ReadOnlySpan<byte> Get(JournalFile file, long offset, int wanted, long length)
    {
        long available = length - offset;
        if (available <= 0) return [];
        int need = (int)Math.Min(wanted, available);
        if (!ReferenceEquals(file, _file) || offset < _start || offset + need > _start + _count)
        {
            int toRead = (int)Math.Min(_buffer.Length, available);
            int read = 0;
            while (read < toRead)
            {
                int n = file.Read(offset + read, _buffer.AsSpan(read, toRead - read));
                if (n == 0) break;
                read += n;
            }

            _file = file;
            _start = offset;
            _count = read;
        }

        int from = (int)(offset - _start);
        return _buffer.AsSpan(from, (int)Math.Min(_count - from, available));
    }
}
