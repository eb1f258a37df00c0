namespace Nephele.Bench.Load;

/// <summary>One server under load: its name in the results, its client, and why it was left out, if it was.</summary>
internal sealed class LoadSubject(string label, Uri endpoint, string workload, int? serverPid = null) : IDisposable
{
    private readonly List<LoadResult> _rounds = [];

    public string Label { get; } = label;
    public Uri Endpoint { get; } = endpoint;
    /// <summary>The server's process when the bench started it (for its RSS).</summary>
    public int? ServerPid { get; } = serverPid;
    public ILoadWorkload Client { get; } = Workloads.Create(workload, endpoint);
    public string? Skipped { get; set; }
    public LoadResult? Result => _rounds.Count == 0 || Skipped is not null ? null : LoadResult.Combine(_rounds);

    public void Add(LoadResult round) => _rounds.Add(round);

    public void Dispose() => Client.Dispose();
}
