namespace Nephele.Bench.Processes;

/// <summary>
/// Which process of a tree holds the listening socket on a port: `dotnet run` serves from a child,
/// and that child's RSS is the server's own footprint.
/// </summary>
internal static class ListeningProcess
{
    private const string ListenState = "0A";

    public static int? Find(int root, int port)
    {
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0) return null;
        foreach (var pid in ProcFs.Descendants(root).Prepend(root))
            if (HoldsAny(pid, inodes)) return pid;
        return null;
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var portHex = port.ToString("X4");
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ..."; addresses are HEXIP:HEXPORT.
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == ListenState && f[1].EndsWith(":" + portHex, StringComparison.Ordinal))
                    inodes.Add($"socket:[{f[9]}]");
            }
        }
        return inodes;
    }

    private static bool HoldsAny(int pid, HashSet<string> sockets)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                if (new FileInfo(fd).LinkTarget is { } target && sockets.Contains(target))
                    return true;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return false;
    }
}
