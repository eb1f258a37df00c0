namespace Nephele.Bench.Processes;

/// <summary>Reads memory and parentage from Linux /proc; the numbers `ps` and `top` show.</summary>
internal static class ProcFs
{
    /// <summary>VmRSS of one process in KiB, or 0 when it has exited.</summary>
    public static long RssKib(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return ParseKib(line);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>
    /// RSS of a process and all its descendants: `dotnet run` serves from a child process, and its
    /// host stays resident too, so the user pays for both.
    /// </summary>
    public static long TreeRssKib(int pid) => Descendants(pid).Prepend(pid).Sum(RssKib);

    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            if (ParentOf(pid) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        return found;
    }

    /// <summary>User plus system CPU time of a process in seconds (from /proc/PID/stat), or null without a process.</summary>
    public static double? CpuSeconds(int? pid) => pid is { } id ? CpuMs(id) / 1000 : null;

    /// <summary>VmHWM (the peak resident set since the process started) in KiB, or 0 when it has exited.</summary>
    public static long PeakRssKib(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return ParseKib(line);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>
    /// CPU time (user + system) a process has used so far, in milliseconds, or 0 when it has exited: what a
    /// request costs the server, whatever else runs on a shared machine.
    /// </summary>
    public static double CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name's closing ')': state is [0], utime [11], stime [12], in clock ticks.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) * 1000.0 / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    // sysconf(_SC_CLK_TCK) is 100 on every Linux the bench runs on.
    private const double ClockTicksPerSecond = 100;

    internal static long ParseKib(string statusLine)
    {
        // "VmRSS:	   51234 kB"
        var parts = statusLine.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], out var kib) ? kib : 0;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out var ppid) ? ppid : null;
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
