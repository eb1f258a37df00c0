using Nephele.Bench.Processes;

namespace Nephele.Bench.Load;

/// <summary>One server under load: its name in the results, its client, and why it was left out, if it was.</summary>
internal sealed class LoadSubject(string label, Uri endpoint, string workload, int? serverPid = null) : IDisposable
{
    private readonly List<LoadResult> _rounds = [];
    private double _cpuMs;

    public string Label { get; } = label;
    public Uri Endpoint { get; } = endpoint;
    /// <summary>The server process the bench started (null with --endpoint): its CPU time and peak memory are read from /proc.</summary>
    public int? ServerPid { get; } = serverPid;
    public ILoadWorkload Client { get; } = Workloads.Create(workload, endpoint);
    public string? Skipped { get; set; }
    public LoadResult? Result => _rounds.Count == 0 || Skipped is not null ? null : LoadResult.Combine(_rounds);

    /// <summary>Server CPU time (user + system) per successful request over the measured rounds, in microseconds.</summary>
    public double? CpuMicrosecondsPerRequest => ServerPid is null || Result is not { Succeeded: > 0 } r ? null : _cpuMs * 1000 / r.Succeeded;

    /// <summary>The server's peak resident set so far (VmHWM), in MiB.</summary>
    public double? PeakRssMib => ServerPid is { } pid ? ProcFs.PeakRssKib(pid) / 1024.0 : null;

    /// <summary>Runs one measured round, charging the server's CPU time during it to this subject.</summary>
    public async Task<LoadResult> MeasureAsync(Func<Task<LoadResult>> round)
    {
        var before = ServerPid is { } pid ? ProcFs.CpuMs(pid) : 0;
        var result = await round();
        if (ServerPid is { } after) _cpuMs += ProcFs.CpuMs(after) - before;
        _rounds.Add(result);
        return result;
    }

    public void Dispose() => Client.Dispose();
}
