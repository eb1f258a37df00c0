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
        var rssKib = ProcFs.TreeRssKib(server.Process.Id);
        return new StartupSample(ready.TotalMilliseconds, rssKib / 1024.0);
    }
}
