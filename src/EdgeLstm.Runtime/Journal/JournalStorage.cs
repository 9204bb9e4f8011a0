namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// Where a journal keeps its files: one folder of segment files, the state file and a <c>quarantine</c> folder.
/// Small on purpose, so that real files (<see cref="DiskJournalStorage"/>), RAM (<see cref="MemoryJournalStorage"/>)
/// and the tests' power-loss simulation behave alike. Failures are <see cref="IOException"/>s; a full disk is one
/// whose <see cref="Exception.HResult"/> is ENOSPC (28) or EDQUOT (122), as .NET reports errno on Linux.
/// </summary>
/// <remarks>
/// Only the journal's writer thread creates, appends, truncates, renames and deletes; reader threads call
/// <see cref="JournalFile.Read"/> on files the writer opened, so implementations make that one call safe to run
/// while the writer appends to the same file.
/// </remarks>
internal abstract class JournalStorage : IDisposable
{
    /// <summary>Where the files are, for log lines: a folder, or "memory".</summary>
    public abstract string Location { get; }

    /// <summary>True when <see cref="JournalFile.Sync"/> makes bytes survive a power loss; false for RAM.</summary>
    public abstract bool IsDurable { get; }

    /// <summary>The names of the files in the journal's folder (not in sub-folders), in no particular order.</summary>
    public abstract IReadOnlyList<string> List();

    /// <summary>The names of the files in the quarantine folder (empty when there is none).</summary>
    public abstract IReadOnlyList<string> ListQuarantine();

    /// <summary>Creates an empty file, replacing one of the same name, open for appending and reading.</summary>
    public abstract JournalFile Create(string name);

    /// <summary>Opens an existing file for appending and reading.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public abstract JournalFile Open(string name);

    /// <summary>Deletes a file; no error when it is already gone.</summary>
    public abstract void Delete(string name);

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing <paramref name="to"/> atomically if it exists.</summary>
    public abstract void Rename(string from, string to);

    /// <summary>Moves a file into the quarantine folder (created if needed) and makes the move durable; returns its name there.</summary>
    public abstract string Quarantine(string name);

    /// <summary>Makes the creations, renames and deletions in the journal's folder so far survive a power loss.</summary>
    public abstract void SyncDirectory();

    /// <summary>Makes the bytes appended to <paramref name="file"/> so far survive a power loss (fsync).</summary>
    public virtual void Sync(JournalFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Sync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the storage holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>One open file of a <see cref="JournalStorage"/>: append at the end, read anywhere, truncate, sync.</summary>
internal abstract class JournalFile : IDisposable
{
    /// <summary>The file's name in the journal's folder.</summary>
    public abstract string Name { get; }

    /// <summary>The file's length in bytes as this handle knows it.</summary>
    public abstract long Length { get; }

    /// <summary>Appends <paramref name="bytes"/> at the end. On failure some of them may have been written (see <see cref="Truncate"/>).</summary>
    public abstract void Append(ReadOnlySpan<byte> bytes);

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; returns how many bytes were read (0 at the end).</summary>
    public abstract int Read(long offset, Span<byte> buffer);

    /// <summary>Cuts the file to <paramref name="length"/> bytes.</summary>
    public abstract void Truncate(long length);

    /// <summary>Makes everything written so far durable (fsync); a no-op in RAM.</summary>
    public abstract void Sync();

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the file.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
