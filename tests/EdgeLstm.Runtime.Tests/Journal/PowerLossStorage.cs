using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Tests.Journal;

/// <summary>
/// A journal folder in RAM that loses what a power loss loses. Per file it keeps the bytes the last sync made
/// durable and those written since; <see cref="Crash"/> keeps the durable bytes and a random prefix of the rest
/// (a torn write), and each create, rename or delete that no <see cref="SyncDirectory"/> followed either happened or
/// did not. After a crash every call fails (the old journal's writer is dead) until <see cref="Reboot"/>.
/// Optionally a disk of <see cref="CapacityBytes"/>: an append past it writes what fits and throws ENOSPC.
/// </summary>
internal sealed class PowerLossStorage : JournalStorage
{
    private const int Enospc = 28;
    private const int Eio = 5;

    private readonly object _lock = new();
    private Dictionary<string, Inode> _files = new(StringComparer.Ordinal);
    private Dictionary<string, Inode> _durableFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Inode> _quarantine = new(StringComparer.Ordinal);
    private readonly List<(char Kind, string Name, string To, Inode? Inode)> _pending = [];
    private int _epoch;
    private bool _dead;

    public override string Location => "power-loss test storage";

    public override bool IsDurable => true;

    /// <summary>The disk's size: appends past it fail with ENOSPC.</summary>
    public long CapacityBytes { get; set; } = long.MaxValue;

    /// <summary>Syncs made (of files).</summary>
    public long FileSyncs { get; private set; }

    /// <summary>The bytes of every file in the folder (not quarantine) now.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_lock) return _files.Values.Distinct().Sum(f => (long)f.Length);
        }
    }

    /// <summary>The bytes of the segment files now.</summary>
    public long SegmentBytes
    {
        get
        {
            lock (_lock) return _files.Where(f => f.Key.EndsWith(".seg", StringComparison.Ordinal)).Sum(f => (long)f.Value.Length);
        }
    }

    /// <summary>The power goes: see the class summary.</summary>
    public void Crash(Random random)
    {
        lock (_lock)
        {
            var files = new Dictionary<string, Inode>(_durableFiles, StringComparer.Ordinal);
            foreach ((char kind, string name, string to, Inode? inode) in _pending)
            {
                if (random.Next(2) == 0) continue;
                switch (kind)
                {
                    case 'c':
                        files[name] = inode!;
                        break;
                    case 'd':
                        files.Remove(name);
                        break;
                    case 'r' when files.Remove(name, out Inode? moved):
                        files[to] = moved;
                        break;
                }
            }

            foreach (Inode inode in files.Values.Distinct())
            {
                inode.Tear(random);
            }

            _files = files;
            _durableFiles = new Dictionary<string, Inode>(files, StringComparer.Ordinal);
            _pending.Clear();
            _epoch++;
            _dead = true;
        }
    }

    /// <summary>The board starts again: calls work again (old handles stay dead).</summary>
    public void Reboot()
    {
        lock (_lock) _dead = false;
    }

    /// <summary>Bytes of a file (for tests that damage it).</summary>
    public byte[] ReadAll(string name)
    {
        lock (_lock) return _files[name].Bytes.AsSpan(0, _files[name].Length).ToArray();
    }

    /// <summary>Replaces a file's bytes, durably (for tests that damage it).</summary>
    public void WriteAll(string name, byte[] bytes)
    {
        lock (_lock)
        {
            var inode = new Inode();
            inode.Append(bytes);
            inode.MarkDurable();
            _files[name] = inode;
            _durableFiles[name] = inode;
        }
    }

    public override IReadOnlyList<string> List()
    {
        lock (_lock)
        {
            Alive();
            return [.. _files.Keys];
        }
    }

    public override IReadOnlyList<string> ListQuarantine()
    {
        lock (_lock) return [.. _quarantine.Keys];
    }

    public override JournalFile Create(string name)
    {
        lock (_lock)
        {
            Alive();
            var inode = new Inode();
            _files[name] = inode;
            _pending.Add(('c', name, "", inode));
            return new File(this, name, inode, _epoch);
        }
    }

    public override JournalFile Open(string name)
    {
        lock (_lock)
        {
            Alive();
            return _files.TryGetValue(name, out Inode? inode) ? new File(this, name, inode, _epoch) : throw new FileNotFoundException(null, name);
        }
    }

    public override void Delete(string name)
    {
        lock (_lock)
        {
            Alive();
            if (_files.Remove(name)) _pending.Add(('d', name, "", null));
        }
    }

    public override void Rename(string from, string to)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.Remove(from, out Inode? inode)) throw new FileNotFoundException(null, from);
            _files[to] = inode;
            _pending.Add(('r', from, to, null));
        }
    }

    public override string Quarantine(string name)
    {
        lock (_lock)
        {
            Alive();
            if (!_files.Remove(name, out Inode? inode)) throw new FileNotFoundException(null, name);
            string target = name;
            for (int n = 1; _quarantine.ContainsKey(target); n++) target = $"{name}.{n}";
            _quarantine[target] = inode;
            SyncDirectoryLocked();
            return $"quarantine/{target}";
        }
    }

    public override void SyncDirectory()
    {
        lock (_lock)
        {
            Alive();
            SyncDirectoryLocked();
        }
    }

    private void SyncDirectoryLocked()
    {
        _durableFiles = new Dictionary<string, Inode>(_files, StringComparer.Ordinal);
        _pending.Clear();
    }

    private void Alive()
    {
        if (_dead) throw new IOException("the power is off", Eio);
    }

    private long TotalLocked() => _files.Values.Distinct().Sum(f => (long)f.Length);

    /// <summary>A file's bytes: what is written, and how much of it the last sync made durable.</summary>
    private sealed class Inode
    {
        public byte[] Bytes = new byte[256];
        public int Length;
        public int DurableLength;
        public byte[]? DurableSnapshot; // set when a truncation cut into durable bytes since the last sync

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > Bytes.Length) Array.Resize(ref Bytes, Math.Max(Length + bytes.Length, Bytes.Length * 2));
            bytes.CopyTo(Bytes.AsSpan(Length));
            Length += bytes.Length;
        }

        public void Truncate(int length)
        {
            if (length >= Length) return;
            if (length < DurableLength && DurableSnapshot is null) DurableSnapshot = Bytes.AsSpan(0, DurableLength).ToArray();
            Length = length;
        }

        public void MarkDurable()
        {
            DurableLength = Length;
            DurableSnapshot = null;
        }

        public void Tear(Random random)
        {
            if (DurableSnapshot is { } durable && random.Next(2) == 0)
            {
                // The truncation and what followed it never reached the disk.
                Bytes = [.. durable, .. new byte[256]];
                Length = durable.Length;
            }
            else
            {
                int common = DurableLength;
                if (DurableSnapshot is { } snapshot)
                {
                    common = 0;
                    while (common < snapshot.Length && common < Length && snapshot[common] == Bytes[common]) common++;
                }

                common = Math.Min(common, Length);
                Length = common + random.Next(Length - common + 1);
            }

            MarkDurable();
        }
    }

    private sealed class File(PowerLossStorage storage, string name, Inode inode, int epoch) : JournalFile
    {
        public override string Name => name;

        public override long Length
        {
            get
            {
                lock (storage._lock) return inode.Length;
            }
        }

        public override void Append(ReadOnlySpan<byte> bytes)
        {
            lock (storage._lock)
            {
                Check();
                long room = storage.CapacityBytes - storage.TotalLocked();
                if (bytes.Length > room)
                {
                    inode.Append(bytes[..(int)Math.Max(0, room)]);
                    throw new IOException("no space left on the device", Enospc);
                }

                inode.Append(bytes);
            }
        }

        public override int Read(long offset, Span<byte> buffer)
        {
            lock (storage._lock)
            {
                Check();
                if (offset >= inode.Length) return 0;
                int count = (int)Math.Min(buffer.Length, inode.Length - offset);
                inode.Bytes.AsSpan((int)offset, count).CopyTo(buffer);
                return count;
            }
        }

        public override void Truncate(long length)
        {
            lock (storage._lock)
            {
                Check();
                inode.Truncate((int)length);
            }
        }

        public override void Sync()
        {
            lock (storage._lock)
            {
                Check();
                inode.MarkDurable();
                storage.FileSyncs++;
            }
        }

        private void Check()
        {
            if (storage._dead || epoch != storage._epoch) throw new IOException("the power is off", Eio);
        }
    }
}
