using System.Runtime.InteropServices;
using System.Text;
using EdgeLstm.Core.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace EdgeLstm.Runtime.Journal;

/// <summary>
/// The journal in a folder of real files. Appends and reads are positional (<see cref="RandomAccess"/>: pwrite and
/// pread on one handle), so reader threads read while the writer appends; <see cref="JournalFile.Sync"/> is
/// <see cref="RandomAccess.FlushToDisk"/>, the fsync that <c>FileStream.Flush(flushToDisk: true)</c> also makes (a
/// FileStream has one position, which reader threads would fight over). The folder itself is fsynced after
/// creations, renames and deletions with <c>open(2)</c> and <c>fsync(2)</c> from libc, because .NET refuses to open a
/// folder as a file (<c>File.OpenHandle</c> on a folder throws <see cref="UnauthorizedAccessException"/>).
/// </summary>
internal sealed class DiskJournalStorage : JournalStorage
{
    private readonly string _directory;
    private readonly bool _readOnly;
    private readonly byte[] _directoryPath;

    /// <summary>Uses <paramref name="directory"/> (created if missing) for a journal that writes.</summary>
    /// <exception cref="JournalException">The folder cannot be created or is not a folder.</exception>
    public DiskJournalStorage(string directory)
        : this(directory, readOnly: false)
    {
    }

    private DiskJournalStorage(string directory, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _readOnly = readOnly;
        _directoryPath = Encoding.UTF8.GetBytes(_directory + "\0");
        try
        {
            if (File.Exists(_directory) || (readOnly && !Directory.Exists(_directory)))
            {
                // Worded by FileErrors from a path inside the folder: "'/x' is a file, not a folder", "the folder '/x' does not exist".
                throw new DirectoryNotFoundException();
            }

            if (!readOnly)
            {
                Directory.CreateDirectory(_directory);
            }
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            throw Unusable(_directory, e);
        }
    }

    /// <summary>Opens an existing journal folder for reading only: every call that would change it throws.</summary>
    /// <exception cref="JournalException">The folder does not exist or is not a folder.</exception>
    public static DiskJournalStorage OpenReadOnly(string directory) => new(directory, readOnly: true);

    /// <inheritdoc />
    public override string Location => _directory;

    /// <inheritdoc />
    public override bool IsDurable => true;

    /// <summary>The sentence for a journal folder that cannot be used: "the journal folder '/x' cannot be used: permission denied (…)".</summary>
    public static JournalException Unusable(string directory, Exception e) =>
        new($"the journal folder '{directory}' cannot be used: {FileErrors.Describe(e, Path.Combine(directory, JournalFormat.StateFileName))}.", e);

    /// <inheritdoc />
    public override IReadOnlyList<string> List() => Names(_directory);

    /// <inheritdoc />
    public override IReadOnlyList<string> ListQuarantine()
    {
        string quarantine = Path.Combine(_directory, JournalFormat.QuarantineFolder);
        return Directory.Exists(quarantine) ? Names(quarantine) : [];
    }

    /// <inheritdoc />
    public override JournalFile Create(string name) =>
        new DiskJournalFile(name, File.OpenHandle(PathOf(name, write: true), FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc />
    public override JournalFile Open(string name) =>
        new DiskJournalFile(name, _readOnly
            ? File.OpenHandle(PathOf(name, write: false), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
            : File.OpenHandle(PathOf(name, write: false), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc />
    public override void Delete(string name) => File.Delete(PathOf(name, write: true));

    /// <inheritdoc />
    public override void Rename(string from, string to) => File.Move(PathOf(from, write: true), PathOf(to, write: true), overwrite: true);

    /// <inheritdoc />
    public override string Quarantine(string name)
    {
        string folder = Path.Combine(_directory, JournalFormat.QuarantineFolder);
        Directory.CreateDirectory(PathOf(JournalFormat.QuarantineFolder, write: true));
        string target = name;
        for (int n = 1; File.Exists(Path.Combine(folder, target)); n++)
        {
            target = $"{name}.{n}";
        }

        File.Move(PathOf(name, write: true), Path.Combine(folder, target));
        SyncFolder(Encoding.UTF8.GetBytes(folder + "\0"));
        SyncDirectory();
        return $"{JournalFormat.QuarantineFolder}/{target}";
    }

    /// <inheritdoc />
    public override void SyncDirectory()
    {
        if (_readOnly) throw new InvalidOperationException("the journal was opened read-only");
        SyncFolder(_directoryPath);
    }

    private static void SyncFolder(byte[] nullTerminatedPath)
    {
        if (!OperatingSystem.IsLinux()) return; // other systems: the renames are as durable as their file system makes them
        int fd = NativeMethods.open(nullTerminatedPath, 0 /* O_RDONLY: a folder opens without O_DIRECTORY, whose value differs on arm64 and x64 */);
        if (fd < 0)
        {
            throw new IOException("cannot open the journal folder to sync it", Marshal.GetLastPInvokeError());
        }

        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                throw new IOException("fsync of the journal folder failed", Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private string PathOf(string name, bool write)
    {
        if (write && _readOnly) throw new InvalidOperationException("the journal was opened read-only");
        return Path.Combine(_directory, name);
    }

    private static string[] Names(string folder)
    {
        try
        {
            return [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            throw Unusable(folder, e);
        }
    }

    private sealed class DiskJournalFile(string name, SafeFileHandle handle) : JournalFile
    {
        private long _length = RandomAccess.GetLength(handle);

        public override string Name => name;

        public override long Length => Volatile.Read(ref _length);

        public override void Append(ReadOnlySpan<byte> bytes)
        {
            RandomAccess.Write(handle, bytes, _length);
            Volatile.Write(ref _length, _length + bytes.Length);
        }

        public override int Read(long offset, Span<byte> buffer) => RandomAccess.Read(handle, buffer, offset);

        public override void Truncate(long length)
        {
            RandomAccess.SetLength(handle, length);
            Volatile.Write(ref _length, length);
        }

        public override void Sync() => RandomAccess.FlushToDisk(handle);

        protected override void Dispose(bool disposing)
        {
            if (disposing) handle.Dispose();
            base.Dispose(disposing);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
    }
}
