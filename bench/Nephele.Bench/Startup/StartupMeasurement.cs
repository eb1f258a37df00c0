using Nephele.Bench.Processes;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Startup;

/// <summary>Starts a target once, times it to its first 200, lets it idle, reads its RSS, and kills it.</summary>
internal static class StartupMeasurement
{
    public static async Task<StartupSample> MeasureAsync(ServerTarget target, ReadinessProbe probe, TimeSpan readyTimeout, TimeSpan idle, CancellationToken ct)
    {
        using var server = ServerProcess.Start(target, FreePort.Next());
        var ready = await server.WaitUntilReadyAsync(probe, readyTimeout, ct);
        // Idle first: RSS right at readiness still holds startup garbage that a settled server has let go.
        await Task.Delay(idle, ct);
        var root = server.Process.Id;
        var serving = ListeningProcess.Find(root, server.Port) ?? root;
        return new StartupSample(ready.TotalMilliseconds, ProcFs.RssKib(serving) / 1024.0, ProcFs.TreeRssKib(root) / 1024.0);
    }
}
