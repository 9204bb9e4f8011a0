using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace EdgeLstm.Runtime.Cli;

/// <summary>
/// A folder only its owner can change: made with mode 0700 when missing; an existing one is not private when it is a
/// symbolic link, belongs to another user, or group or others may write to it. Files written into such a folder cannot be
/// swapped or pre-planted by anybody else.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PrivateFolder
{
    /// <summary>The effective uid of this process.</summary>
    public static uint CurrentUser => NativeMethods.geteuid();

    /// <summary>Makes <paramref name="path"/> (mode 0700) unless it exists; then says why it is not private to <paramref name="owner"/>, or null when it is.</summary>
    public static string? Ensure(string path, uint owner)
    {
        if (Status(path) is null) Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return Problem(path, owner);
    }

    /// <summary>Why <paramref name="path"/> is not a private folder of <paramref name="owner"/>, or null when it is.</summary>
    /// <exception cref="IOException">It cannot be examined (a folder above it is not searchable, say).</exception>
    public static string? Problem(string path, uint owner)
    {
        if (Status(path) is not (uint uid, uint mode)) return "it does not exist";
        return (mode & 0xF000) switch
        {
            0xA000 => "it is a symbolic link",
            not 0x4000 => "it is not a folder",
            _ when uid != owner => $"it belongs to uid {uid}, not to this user (uid {owner})",
            _ when (mode & 0b000_010_010) != 0 => $"group or others may write to it (mode {Convert.ToString(mode & 0x1FF, 8)})",
            _ => null,
        };
    }

    // lstat(2) through statx(2), whose buffer has one layout on every architecture (struct stat differs on arm64 and x64).
    private static (uint Uid, uint Mode)? Status(string path)
    {
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxTypeModeUid = 0x1 | 0x2 | 0x8, ENOENT = 2;
        byte[] buffer = new byte[256];
        if (NativeMethods.statx(AtFdCwd, Encoding.UTF8.GetBytes(path + "\0"), AtSymlinkNoFollow, StatxTypeModeUid, buffer) == 0)
        {
            return (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)), BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)));
        }
        int errno = Marshal.GetLastPInvokeError();
        return errno == ENOENT ? null : throw new IOException($"cannot examine '{path}'", errno);
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int statx(int dirfd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();
    }
}

/// <summary>The embedded demo's folder cannot be used: it is not private to the user, cannot be written, or cannot be named. The commands exit 2 on it.</summary>
internal sealed class DemoFolderException : Exception
{
    public DemoFolderException(string message)
        : base(message)
    {
    }

    public DemoFolderException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DemoFolderException()
    {
    }
}
