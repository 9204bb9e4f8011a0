namespace EdgeLstm.Core.Diagnostics;

/// <summary>
/// Words for file-system failures. The board runtime is published with <c>UseSystemResourceKeys</c>, which
/// replaces the framework's messages by resource keys (<c>IO_PathNotFound_Path, /x</c>); these sentences come
/// from the exception's type, its errno and the path, so they read the same in every build.
/// </summary>
public static class FileErrors
{
    // errno values (Linux, identical on arm64 and x64) that .NET reports as IOException.HResult.
    private const int EIO = 5;
    private const int ENXIO = 6;
    private const int EBUSY = 16;
    private const int EEXIST = 17;
    private const int ENOTDIR = 20;
    private const int EISDIR = 21;
    private const int EMFILE = 24;
    private const int ETXTBSY = 26;
    private const int EFBIG = 27;
    private const int ENOSPC = 28;
    private const int EROFS = 30;
    private const int EPIPE = 32;
    private const int ENAMETOOLONG = 36;
    private const int ELOOP = 40;
    private const int EDQUOT = 122;

    /// <summary>True for the exceptions that <see cref="Describe"/> words: I/O and access failures.</summary>
    /// <param name="exception">The exception caught.</param>
    /// <returns>True when it is an <see cref="IOException"/> or an <see cref="UnauthorizedAccessException"/>.</returns>
    public static bool IsFileError(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>
    /// What went wrong with <paramref name="path"/>, as the end of a sentence: <c>"the file does not exist"</c>,
    /// <c>"permission denied"</c>, <c>"it is a folder, not a file"</c>, <c>"the disk is full"</c>…
    /// </summary>
    /// <param name="exception">The I/O or access exception caught while using <paramref name="path"/>.</param>
    /// <param name="path">The file the operation was on.</param>
    /// <returns>A lower-case clause without a final full stop, for example to follow <c>"model 'x' cannot be read: "</c>.</returns>
    public static string Describe(Exception exception, string path)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(path);
        return exception switch
        {
            FileNotFoundException => Directory.Exists(path) ? "it is a folder, not a file" : "the file does not exist",
            DirectoryNotFoundException => MissingFolder(path),
            PathTooLongException => "the path is too long for the file system",
            UnauthorizedAccessException => Directory.Exists(path)
                ? "it is a folder, not a file"
                : "permission denied (the user running this program may not access it; check its owner and mode)",
            IOException io => io.HResult switch
            {
                ENOSPC => "the disk is full (no space left on the device)",
                EDQUOT => "the disk quota is exceeded",
                EFBIG => "the file is too large for the file system",
                EROFS => "the file system is read-only",
                EPIPE => "the reading end was closed (broken pipe)",
                EIO => "the storage device reported an input/output error",
                ENXIO => "the device does not exist (is it connected?)",
                EBUSY or ETXTBSY => "the file is busy (in use by another program)",
                EEXIST => MissingFolder(path), // creating a folder where a file already is
                EISDIR => "it is a folder, not a file",
                ENOTDIR => MissingFolder(path),
                ENAMETOOLONG => "the path is too long for the file system",
                ELOOP => "the path has too many symbolic links (a link loop?)",
                EMFILE => "too many files are open in this process",
                _ => OtherIoError(io),
            },
            _ => exception.Message,
        };
    }

    /// <summary>Names the first part of <paramref name="path"/> that is missing or is a file where a folder is needed.</summary>
    private static string MissingFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        for (string? above = folder; !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above)) return $"'{above}' is a file, not a folder";
            if (Directory.Exists(above)) break;
            folder = above;
        }
        return $"the folder '{folder}' does not exist";
    }

    /// <summary>The framework's own words where it has them (errno messages come from the C library); never a resource key.</summary>
    private static string OtherIoError(IOException io)
    {
        string message = io.Message;
        // A resource key has no spaces before its first comma ("IO_SharingViolation_File, /x").
        int comma = message.IndexOf(',', StringComparison.Ordinal);
        string head = comma < 0 ? message : message[..comma];
        bool isKey = head.Length > 0 && !head.Contains(' ', StringComparison.Ordinal);
        return isKey ? $"an input/output error (code {io.HResult})" : message.TrimEnd('.');
    }
}
