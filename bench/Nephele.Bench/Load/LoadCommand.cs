using Nephele.Bench.Cli;
using Nephele.Bench.Processes;
using Nephele.Bench.Reporting;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Load;

/// <summary>
/// `load`: every target in turn (never two at once, they share the cores) gets a warm-up and then a
/// timed closed-loop run of STS GetCallerIdentity; throughput and latency are compared with moto_server.
/// </summary>
internal static class LoadCommand
{
    private static readonly string[] AllTargets = [TargetKeys.Aot, TargetKeys.Dll, TargetKeys.Moto];
    private const int MaxDurationSeconds = 60;
    private const long MaxRequestsPerTarget = 5_000_000;

    public static async Task<int> RunAsync(BenchArgs args, CancellationToken ct)
    {
        var workers = args.GetInt("--workers", 8, 1, 256);
        var duration = TimeSpan.FromSeconds(args.GetInt("--duration", 10, 1, MaxDurationSeconds));
        var warmup = TimeSpan.FromSeconds(args.GetInt("--warmup", 2, 0, 30));
        var runner = new LoadRunner(workers, duration, MaxRequestsPerTarget);
        var warmRunner = new LoadRunner(workers, warmup, MaxRequestsPerTarget);
        var results = new List<(string Label, LoadResult? Result, string? Skipped)>();

        if (args.Get("--endpoint") is { } endpoint)
        {
            var url = LoopbackOnly(endpoint);
            results.Add((url.ToString(), await MeasureAsync(url, runner, warmRunner, warmup, ct), null));
        }
        else
        {
            // Request logging costs Nephele a console write per call, as moto's werkzeug log costs moto; --quiet drops Nephele's.
            string[] extra = args.Has("--quiet") ? ["--log-level", "Warning"] : [];
            var targets = await TargetCatalog.ResolveAsync(args, AllTargets, AllTargets, extra, ct);
            using var probe = new ReadinessProbe();
            foreach (var target in targets)
            {
                using var server = ServerProcess.Start(target, FreePort.Next());
                await server.WaitUntilReadyAsync(probe, target.ReadyTimeout, ct);
                try
                {
                    results.Add((target.Label, await MeasureAsync(server.BaseUrl, runner, warmRunner, warmup, ct), null));
                }
                catch (BenchException e)
                {
                    results.Add((target.Label, null, e.Message));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load: STS GetCallerIdentity via AWS SDK for .NET, {workers} workers, {duration.TotalSeconds:0} s after {warmup.TotalSeconds:0} s warm-up, " +
            $"{Environment.ProcessorCount} cores shared by client and server, {MachineLoad.Describe()}, {DateTime.Now:yyyy-MM-dd HH:mm}");
        Console.WriteLine(Summarize(results));
        foreach (var (label, _, skipped) in results.Where(r => r.Skipped is not null))
            Console.WriteLine($"{label}: not measured: {skipped}");
        return results.Any(r => r.Result is not null) ? 0 : BenchCli.Failed;
    }

    private static async Task<LoadResult> MeasureAsync(Uri endpoint, LoadRunner runner, LoadRunner warmRunner, TimeSpan warmup, CancellationToken ct)
    {
        using var sts = new StsCaller(endpoint);
        try
        {
            await sts.CallOnceAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw new BenchException($"GetCallerIdentity against {endpoint} fails: {ErrorText.Describe(e)}");
        }
        if (warmup > TimeSpan.Zero) await warmRunner.RunAsync(sts.SendAsync, ct);
        var result = await runner.RunAsync(sts.SendAsync, ct);
        Console.WriteLine($"{endpoint}: {result.Succeeded} ok, {result.Failed} failed, {result.RequestsPerSecond:0} req/s" +
            (result.FirstError is null ? "" : $" (first error: {result.FirstError})"));
        return result;
    }

    private static TextTable Summarize(List<(string Label, LoadResult? Result, string? Skipped)> results)
    {
        var moto = results.FirstOrDefault(r => r.Label == "moto_server").Result;
        var table = new TextTable("target", "requests", "errors", "req/s", "p50 ms", "p99 ms", "req/s vs moto", "p99 vs moto");
        foreach (var (label, result, _) in results)
        {
            if (result is null)
            {
                table.Add(label, "-", "-", "not run", "-", "-", "-", "-");
                continue;
            }
            var p50 = Stats.Percentile(result.SortedLatenciesMs, 50);
            var p99 = Stats.Percentile(result.SortedLatenciesMs, 99);
            table.Add(label, $"{result.Succeeded}", $"{result.Failed}", $"{result.RequestsPerSecond:0}", $"{p50:0.00}", $"{p99:0.00}",
                TextTable.Ratio(result.RequestsPerSecond, moto?.RequestsPerSecond),
                TextTable.Ratio(p99, moto is null ? null : Stats.Percentile(moto.SortedLatenciesMs, 99)));
        }
        return table;
    }

    /// <summary>The bench only ever loads this machine.</summary>
    private static Uri LoopbackOnly(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new BenchException($"--endpoint {endpoint}: not an http(s) URL.");
        var loopback = url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
        return loopback ? url : throw new BenchException($"--endpoint {endpoint}: only loopback addresses (127.0.0.0/8, localhost, ::1) may be loaded.");
    }
}
