using System.Globalization;

namespace EdgeLstm.LoadTest.Measurement;

/// <summary>What one watched process used over the publishing window.</summary>
/// <param name="Name">The name it was given (<c>--watch NAME=PID</c>).</param>
/// <param name="Pid">Its process id.</param>
/// <param name="CpuSeconds">User + system CPU time used during the window.</param>
/// <param name="CpuPercent">That as a share of one core over the window (200 % = two cores busy).</param>
/// <param name="PeakRssMiB">The highest resident set size seen in the once-a-second samples.</param>
/// <param name="EndRssMiB">The resident set size at the window's end.</param>
internal sealed record ProcessUsage(string Name, int Pid, double CpuSeconds, double CpuPercent, double PeakRssMiB, double EndRssMiB);

/// <summary>
/// Samples a process's CPU time (<c>/proc/PID/stat</c> utime + stime) and resident memory (<c>/proc/PID/status</c>
/// VmRSS) on Linux; a process that is gone reads as nothing, so a crash shows as a short series, not an exception.
/// </summary>
internal sealed class ProcessSampler(string name, int pid)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on
    private double _startCpu = double.NaN;
    private DateTime _startTime;
    private double _lastCpu;
    private DateTime _lastTime;
    private double _peakRssMiB;
    private double _lastRssMiB;

    /// <summary>Starts the window: CPU time counts from here.</summary>
    public void Begin()
    {
        _startCpu = ReadCpuSeconds() ?? double.NaN;
        _startTime = DateTime.UtcNow;
        Sample();
    }

    /// <summary>Takes one sample (called once a second while the window is open, and at its end).</summary>
    public void Sample()
    {
        if (ReadCpuSeconds() is double cpu)
        {
            _lastCpu = cpu;
            _lastTime = DateTime.UtcNow;
        }
        if (ReadRssMiB() is double rss)
        {
            _lastRssMiB = rss;
            _peakRssMiB = Math.Max(_peakRssMiB, rss);
        }
    }

    /// <summary>The usage from <see cref="Begin"/> to the last sample.</summary>
    public ProcessUsage Usage()
    {
        double cpu = double.IsNaN(_startCpu) ? 0 : _lastCpu - _startCpu;
        double wall = Math.Max(1e-9, (_lastTime - _startTime).TotalSeconds);
        return new ProcessUsage(name, pid, Math.Round(cpu, 2), Math.Round(100 * cpu / wall, 1), Math.Round(_peakRssMiB, 1), Math.Round(_lastRssMiB, 1));
    }

    private double? ReadCpuSeconds()
    {
        string? stat = ReadProc("stat");
        if (stat is null) return null;
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are space-separated: state is field 3, utime 14, stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    private double? ReadRssMiB()
    {
        string? status = ReadProc("status");
        string? line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        if (line is null) return null;
        return double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private string? ReadProc(string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
