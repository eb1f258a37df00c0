using Nephele.Bench.Cli;
using Nephele.Bench.Processes;
using Nephele.Bench.Reporting;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Startup;

/// <summary>
/// `startup`: each target started --runs times, round-robin so that machine noise spreads over all of
/// them, then medians and ratios against moto_server.
/// </summary>
internal static class StartupCommand
{
    private static readonly string[] AllTargets = [TargetKeys.Aot, TargetKeys.Dll, TargetKeys.Run, TargetKeys.Moto];

    public static async Task<int> RunAsync(BenchArgs args, CancellationToken ct)
    {
        var runs = args.GetInt("--runs", 5, 1, 50);
        var idle = TimeSpan.FromSeconds(args.GetInt("--idle", 2, 0, 60));
        int? timeoutSeconds = args.Has("--timeout") ? args.GetInt("--timeout", 60, 1, 600) : null;
        var targets = await TargetCatalog.ResolveAsync(args, AllTargets, AllTargets, [], ct);

        using var probe = new ReadinessProbe();
        await probe.WarmUpAsync(ct);

        var samples = targets.ToDictionary(t => t.Key, _ => new List<StartupSample>());
        for (var run = 1; run <= runs; run++)
            foreach (var target in targets)
            {
                var timeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : target.ReadyTimeout;
                var sample = await StartupMeasurement.MeasureAsync(target, probe, timeout, idle, ct);
                samples[target.Key].Add(sample);
                Console.WriteLine($"run {run}/{runs}  {target.Label,-22} ready {sample.ReadyMs,8:0.0} ms   RSS {sample.RssMb,6:0.0} MB (tree {sample.TreeRssMb:0.0} MB)");
            }

        Console.WriteLine();
        Console.WriteLine($"startup: median of {runs} run(s), {Environment.ProcessorCount} cores, {MachineLoad.Describe()}, {DateTime.Now:yyyy-MM-dd HH:mm}");
        Console.WriteLine(Summarize(targets, samples));
        return 0;
    }

    private static TextTable Summarize(IReadOnlyList<ServerTarget> targets, Dictionary<string, List<StartupSample>> samples)
    {
        double? motoReady = null, motoRss = null;
        if (samples.TryGetValue(TargetKeys.Moto, out var moto))
        {
            motoReady = Stats.Median(moto.Select(s => s.ReadyMs));
            motoRss = Stats.Median(moto.Select(s => s.RssMb));
        }
        var table = new TextTable("target", "ready ms (median)", "min", "max", "idle RSS MB (median)", "tree RSS MB", "time vs moto", "RSS vs moto");
        foreach (var target in targets)
        {
            var list = samples[target.Key];
            var ready = Stats.Median(list.Select(s => s.ReadyMs));
            var rss = Stats.Median(list.Select(s => s.RssMb));
            var tree = Stats.Median(list.Select(s => s.TreeRssMb));
            table.Add(target.Label, $"{ready:0.0}", $"{list.Min(s => s.ReadyMs):0.0}", $"{list.Max(s => s.ReadyMs):0.0}", $"{rss:0.0}", $"{tree:0.0}",
                TextTable.Ratio(ready, motoReady), TextTable.Ratio(rss, motoRss));
        }
        return table;
    }
}
