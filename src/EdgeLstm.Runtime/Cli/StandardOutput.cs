using Microsoft.Win32.SafeHandles;

namespace EdgeLstm.Runtime.Cli;

/// <summary>The process's standard output as a stream whose failures are seen.</summary>
internal static class StandardOutput
{
    /// <summary>
    /// On Unix, a stream over file descriptor 1 that reports a closed pipe (EPIPE) as an <see cref="IOException"/>:
    /// <see cref="Console.OpenStandardOutput()"/> swallows EPIPE, so frames written after the reader went away
    /// would vanish without being counted. Elsewhere, the console's stream.
    /// </summary>
    public static Stream Open() => OperatingSystem.IsWindows()
        ? Console.OpenStandardOutput()
        : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
