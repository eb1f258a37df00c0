using BenchmarkDotNet.Running;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Micro;

/// <summary>`micro`: hands its arguments to BenchmarkDotNet, running every benchmark unless a --filter says otherwise.</summary>
internal static class MicroCommand
{
    public static int Run(string[] args)
    {
        var withDefaults = args.ToList();
        if (!withDefaults.Contains("--filter")) withDefaults.AddRange(["--filter", "*"]);
        if (!withDefaults.Contains("--artifacts"))
            withDefaults.AddRange(["--artifacts", Path.Combine(RepoLocator.Find(null), "bench", ".artifacts", "BenchmarkDotNet")]);
        var summaries = BenchmarkSwitcher.FromTypes([typeof(RoutingBenchmarks), typeof(PolicyEvaluationBenchmarks)]).Run([.. withDefaults]).ToArray();
        // A benchmark that failed to build or run leaves no report; that is a failure, not an empty success.
        var failed = summaries.Length == 0 || summaries.Any(s => s.HasCriticalValidationErrors
            || s.Reports.Count(r => r.Success) < s.BenchmarksCases.Length);
        return failed ? Cli.BenchCli.Failed : 0;
    }
}
