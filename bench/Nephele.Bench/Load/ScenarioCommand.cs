using Nephele.Bench.Cli;
using Nephele.Bench.Reporting;

namespace Nephele.Bench.Load;

/// <summary>`load` for scenario workloads: one scripted run per target, one table of what each measured.</summary>
internal static class ScenarioCommand
{
    public static async Task<int> RunAsync(BenchArgs args, string workload, IReadOnlyList<LoadSubject> subjects, CancellationToken ct)
    {
        var results = new List<(string Label, IReadOnlyList<(string Name, string Value)> Values)>();
        foreach (var subject in subjects)
        {
            if (subject.Skipped is not null || subject.Client is not IScenarioWorkload scenario) continue;
            Console.WriteLine($"{subject.Label}: running {workload} ...");
            try
            {
                var values = await scenario.RunAsync(args, subject.ServerPid, ct);
                results.Add((subject.Label, values));
                Console.WriteLine($"{subject.Label}: " + string.Join(", ", values.Select(v => $"{v.Name} {v.Value}")));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                subject.Skipped = ErrorText.Describe(e);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load: {Workloads.Describe(workload)} via AWS SDK for .NET, {Environment.ProcessorCount} cores shared by client and servers, " +
            $"{MachineLoad.Describe()}, {DateTime.Now:yyyy-MM-dd HH:mm}");
        if (results.Count > 0)
        {
            var table = new TextTable(["target", .. results[0].Values.Select(v => v.Name)]);
            foreach (var (label, values) in results) table.Add([label, .. values.Select(v => v.Value)]);
            Console.WriteLine(table);
        }
        foreach (var subject in subjects.Where(s => s.Skipped is not null))
            Console.WriteLine($"{subject.Label}: not measured: {subject.Skipped}");
        return results.Count > 0 ? 0 : BenchCli.Failed;
    }
}
