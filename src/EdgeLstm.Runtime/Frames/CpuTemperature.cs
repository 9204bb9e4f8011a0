using Microsoft.Win32.SafeHandles;

namespace EdgeLstm.Runtime.Frames;

/// <summary>
/// Reads the SoC temperature from <c>/sys/class/thermal/thermal_zone0/temp</c> (millidegrees Celsius on
/// Raspberry Pi OS) through a handle kept open, so a read allocates nothing. Null where the board has no such file.
/// </summary>
internal sealed class CpuTemperature : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[] _buffer = new byte[32];

    public CpuTemperature(string path = "/sys/class/thermal/thermal_zone0/temp")
    {
        try
        {
            if (File.Exists(path)) _handle = File.OpenHandle(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _handle = null;
        }
    }

    /// <summary>The temperature in millidegrees Celsius, or null when unavailable.</summary>
    public int? ReadMilliCelsius()
    {
        if (_handle is null) return null;
        try
        {
            int read = RandomAccess.Read(_handle, _buffer, 0);
            ReadOnlySpan<byte> text = _buffer.AsSpan(0, read).TrimEnd((byte)'\n');
            return System.Buffers.Text.Utf8Parser.TryParse(text, out int milli, out _) ? milli : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
