using System.Diagnostics;
using System.Globalization;

namespace StaticNet.Fuzz;

/// <summary>
/// The CPU time of the calling thread, so that time limits hold on a loaded machine (CI runners share cores; a wall
/// clock there measures the neighbours). On Linux from <c>/proc/thread-self/stat</c> (utime + stime, 10 ms ticks);
/// elsewhere the wall clock.
/// </summary>
public static class ThreadCpu
{
    private static readonly bool Available = File.Exists("/proc/thread-self/stat");
    private static readonly Stopwatch Wall = Stopwatch.StartNew();

    /// <summary>Whether the times are CPU times (false: wall-clock times).</summary>
    public static bool IsCpuTime => Available;

    public static TimeSpan Now()
    {
        if (!Available) return Wall.Elapsed;
        string stat = File.ReadAllText("/proc/thread-self/stat");
        // Fields after the command name (which is in parentheses and may contain spaces): state is field 3, utime 14, stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }
}
