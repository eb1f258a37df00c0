namespace Nephele.Bench.Reporting;

/// <summary>
/// The 1/5/15-minute load averages, printed with every result: on a shared 2-core machine a busy
/// neighbour moves the numbers more than most code changes do.
/// </summary>
internal static class MachineLoad
{
    public static string Describe()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "load average unknown";
        }
    }
}
