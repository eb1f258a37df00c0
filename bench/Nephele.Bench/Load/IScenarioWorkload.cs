using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// A workload measured as one scripted run per target rather than as closed-loop requests per second (a 1 GiB
/// transfer, a listing over a large bucket); it reports named measurements.
/// </summary>
internal interface IScenarioWorkload : ILoadWorkload
{
    /// <summary>Whether the server must keep its state on disk (a 1 GiB object does not belong in memory).</summary>
    bool NeedsDataDir { get; }

    /// <summary>Runs once against a target; <paramref name="serverPid"/> is the server's process when the bench started it.</summary>
    Task<IReadOnlyList<(string Name, string Value)>> RunAsync(BenchArgs args, int? serverPid, CancellationToken ct);
}
