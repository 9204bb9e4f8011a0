namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// The journal in RAM, for boards without a <c>journal.path</c>: the same bounds, eviction, acknowledgement and
/// reading as on disk, so network sinks have one code path, but nothing survives a restart. Syncs do nothing and
/// records count as durable once written.
/// </summary>
internal sealed class MemoryJournalStorage : JournalStorage
{
    private readonly object _lock = new();
    private readonly Dictionary<string, MemoryFileData> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryFileData> _quarantine = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Location => "memory";

    /// <inheritdoc />
    public override bool IsDurable => false;

    /// <inheritdoc />
    public override IReadOnlyList<string> List()
    {
        lock (_lock) return [.. _files.Keys];
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> ListQuarantine()
    {
        lock (_lock) return [.. _quarantine.Keys];
    }

    /// <inheritdoc />
    public override JournalFile Create(string name)
    {
        var data = new MemoryFileData();
        lock (_lock) _files[name] = data;
        return new MemoryJournalFile(name, data);
    }

    /// <inheritdoc />
    public override JournalFile Open(string name)
    {
        lock (_lock)
        {
            return _files.TryGetValue(name, out MemoryFileData? data) ? new MemoryJournalFile(name, data) : throw new FileNotFoundException(null, name);
        }
    }

    /// <inheritdoc />
    public override void Delete(string name)
    {
        lock (_lock) _files.Remove(name);
    }

    /// <inheritdoc />
    public override void Rename(string from, string to)
    {
        lock (_lock)
        {
            if (!_files.Remove(from, out MemoryFileData? data)) throw new FileNotFoundException(null, from);
            _files[to] = data;
        }
    }

    /// <inheritdoc />
    public override string Quarantine(string name)
    {
        lock (_lock)
        {
            if (!_files.Remove(name, out MemoryFileData? data)) throw new FileNotFoundException(null, name);
            string target = name;
            for (int n = 1; _quarantine.ContainsKey(target); n++) target = $"{name}.{n}";
            _quarantine[target] = data;
            return $"{JournalFormat.QuarantineFolder}/{target}";
        }
    }

    /// <inheritdoc />
    public override void SyncDirectory()
    {
    }

    /// <summary>A file's bytes: grown by doubling, so appends allocate only when a file passes a power of two.</summary>
    private sealed class MemoryFileData
    {
        public readonly object Lock = new();
        public byte[] Bytes = new byte[4096];
        public long Length;
    }

    private sealed class MemoryJournalFile(string name, MemoryFileData data) : JournalFile
    {
        public override string Name => name;

        public override long Length
        {
            get
            {
                lock (data.Lock) return data.Length;
            }
        }

        public override void Append(ReadOnlySpan<byte> bytes)
        {
            lock (data.Lock)
            {
                long needed = data.Length + bytes.Length;
                if (needed > data.Bytes.Length)
                {
                    if (needed > Array.MaxLength) throw new IOException("the journal's memory file is full", 28);
                    Array.Resize(ref data.Bytes, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * data.Bytes.Length)));
                }

                bytes.CopyTo(data.Bytes.AsSpan((int)data.Length));
                data.Length = needed;
            }
        }

        public override int Read(long offset, Span<byte> buffer)
        {
            lock (data.Lock)
            {
                if (offset >= data.Length) return 0;
                int count = (int)Math.Min(buffer.Length, data.Length - offset);
                data.Bytes.AsSpan((int)offset, count).CopyTo(buffer);
                return count;
            }
        }

        public override void Truncate(long length)
        {
            lock (data.Lock)
            {
                if (length < data.Length) data.Bytes.AsSpan((int)length, (int)(data.Length - length)).Clear();
                data.Length = Math.Min(length, data.Length);
            }
        }

        public override void Sync()
        {
        }
    }
}
