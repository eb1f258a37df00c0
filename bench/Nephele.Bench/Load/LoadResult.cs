namespace Nephele.Bench.Load;

/// <summary>What one target sustained: successful requests, failures, and their latencies in ms (ascending).</summary>
internal sealed record LoadResult(long Succeeded, long Failed, TimeSpan Elapsed, double[] SortedLatenciesMs, string? FirstError)
{
    public double RequestsPerSecond => Succeeded / Elapsed.TotalSeconds;
}
