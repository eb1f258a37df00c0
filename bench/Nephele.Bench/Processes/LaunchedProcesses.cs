using System.Collections.Concurrent;
using System.Diagnostics;

namespace Nephele.Bench.Processes;

/// <summary>
/// Every process the bench starts, so that a crash, a timeout or Ctrl+C still leaves no server behind.
/// Only these pids are ever killed.
/// </summary>
internal static class LaunchedProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    public static void Track(Process process) => Running[process.Id] = process;

    public static void Kill(Process process)
    {
        Running.TryRemove(process.Id, out _);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    public static void KillAll()
    {
        foreach (var process in Running.Values) Kill(process);
    }
}
