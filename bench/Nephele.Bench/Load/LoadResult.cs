namespace Nephele.Bench.Load;

/// <summary>What one target sustained: successful requests, the messages they moved, failures, and their latencies in ms (ascending).</summary>
internal sealed record LoadResult(long Succeeded, long Messages, long Failed, TimeSpan Elapsed, double[] SortedLatenciesMs, string? FirstError)
{
    public double RequestsPerSecond => Succeeded / Elapsed.TotalSeconds;

    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public double Percentile(double percent) => Reporting.Stats.Percentile(SortedLatenciesMs, percent);

    /// <summary>The rounds of one target as if they were one run.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> rounds)
    {
        var all = rounds.SelectMany(r => r.SortedLatenciesMs).ToArray();
        Array.Sort(all);
        return new LoadResult(rounds.Sum(r => r.Succeeded), rounds.Sum(r => r.Messages), rounds.Sum(r => r.Failed),
            TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)), all, rounds.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }
}
