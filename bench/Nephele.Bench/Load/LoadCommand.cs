using Nephele.Bench.Cli;
using Nephele.Bench.Processes;
using Nephele.Bench.Reporting;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Load;

/// <summary>
/// `load`: closed-loop STS GetCallerIdentity (or an SQS workload, `--workload`) against each target, compared with moto_server. All
/// targets are started and warmed up first, then measured in interleaved rounds, one target at a time:
/// the bench's own client keeps getting faster as its JIT settles, and neighbours on a shared machine
/// come and go, so measuring targets back to back would favour whichever ran last.
/// </summary>
internal static class LoadCommand
{
    private static readonly string[] DefaultTargets = [TargetKeys.Aot, TargetKeys.Dll, TargetKeys.Moto];
    private static readonly string[] AllTargets = [TargetKeys.Aot, TargetKeys.Dll, TargetKeys.Moto, TargetKeys.Dynalite];
    private const int MaxDurationSeconds = 60;
    private const long MaxRequestsPerTarget = 5_000_000;

    public static async Task<int> RunAsync(BenchArgs args, CancellationToken ct)
    {
        var workload = args.GetList("--workload", [Workloads.Sts], Workloads.All) is [var single] ? single
            : throw new BenchException($"--workload takes one of {string.Join(", ", Workloads.All)}.");
        var workers = args.GetInt("--workers", 8, 1, 256);
        var seconds = args.GetInt("--duration", 10, 1, MaxDurationSeconds);
        var warmup = TimeSpan.FromSeconds(args.GetInt("--warmup", 2, 0, 30));
        var rounds = Math.Min(args.GetInt("--rounds", 5, 1, 20), seconds);
        var window = TimeSpan.FromSeconds((double)seconds / rounds);
        DynamoDbQueryWorkload.Items = args.GetInt("--items", DynamoDbQueryWorkload.Items, 1_000, 10_000_000);
        var runner = new LoadRunner(workers, MaxRequestsPerTarget / rounds);

        var servers = new List<ServerProcess>();
        var subjects = new List<LoadSubject>();
        try
        {
            if (args.Get("--endpoint") is { } endpoint)
            {
                var url = LoopbackOnly(endpoint);
                subjects.Add(new LoadSubject(url.ToString(), url, workload));
            }
            else
            {
                // Both servers log every request by default (Nephele one line, moto's werkzeug one line); --quiet drops Nephele's.
                string[] extra = args.Has("--quiet") ? ["--log-level", "Warning"] : [];
                using var probe = new ReadinessProbe();
                foreach (var target in await TargetCatalog.ResolveAsync(args, DefaultTargets, AllTargets, extra, ct, Workloads.NeedsDataDir(workload)))
                {
                    var server = ServerProcess.Start(target, FreePort.Next());
                    servers.Add(server);
                    await server.WaitUntilReadyAsync(probe, target.ReadyTimeout, ct);
                    subjects.Add(new LoadSubject(target.Label, server.BaseUrl, workload, server.Process.Id));
                }
            }

            foreach (var subject in subjects) await CheckAsync(subject, ct);
            var live = subjects.Where(s => s.Skipped is null).ToList();
            if (Workloads.IsScenario(workload)) return await ScenarioCommand.RunAsync(args, workload, subjects, ct);
            if (warmup > TimeSpan.Zero)
                foreach (var subject in live)
                {
                    await subject.Client.PrepareAsync(warmup, ct);
                    if (subject.PeakRssMib is { } prepared) Console.WriteLine($"{subject.Label}: peak RSS {prepared:0} MiB after preparing");
                    subject.Client.Observe(await runner.RunAsync(subject.Client.SendAsync, warmup, ct));
                }

            for (var round = 0; round < rounds; round++)
                for (var i = 0; i < live.Count; i++)
                {
                    var subject = live[(i + round) % live.Count];
                    if (subject.Skipped is not null) continue;
                    try
                    {
                        await subject.Client.PrepareAsync(window, ct);
                        var result = await subject.MeasureAsync(() => runner.RunAsync(subject.Client.SendAsync, window, ct));
                        subject.Client.Observe(result);
                        Console.WriteLine($"round {round + 1}/{rounds}  {subject.Label,-22} {result.RequestsPerSecond,7:0} req/s" +
                            (!Workloads.CountsMessages(workload) ? "" : $" {result.MessagesPerSecond,7:0} msg/s") + $"  p99 {result.Percentile(99),6:0.00} ms" +
                            (result.FirstError is null ? "" : $"  {result.Failed} failed, first: {result.FirstError}"));
                    }
                    catch (BenchException e)
                    {
                        subject.Skipped = e.Message;
                    }
                }

            Console.WriteLine();
            Console.WriteLine($"load: {Workloads.Describe(workload)} via {(workload.StartsWith("lambda", StringComparison.Ordinal) ? "raw signed HTTP" : "AWS SDK for .NET")}, {workers} workers, {seconds} s per target in {rounds} rounds after " +
                $"{warmup.TotalSeconds:0} s warm-up, {Environment.ProcessorCount} cores shared by client and servers, {MachineLoad.Describe()}, {DateTime.Now:yyyy-MM-dd HH:mm}");
            Console.WriteLine(Summarize(subjects, Workloads.CountsMessages(workload)));
            foreach (var subject in subjects.Where(s => s.Skipped is not null))
                Console.WriteLine($"{subject.Label}: not measured: {subject.Skipped}");
            return subjects.Any(s => s.Result is not null) ? 0 : BenchCli.Failed;
        }
        finally
        {
            foreach (var subject in subjects) subject.Dispose();
            foreach (var server in servers)
            {
                server.Dispose();
                if (!server.Target.IsMoto && Workloads.NeedsDataDir(workload)) DeleteDataDir(TargetCatalog.DataDirOf(server.Port));
            }
        }
    }

    private static void DeleteDataDir(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A killed server may still hold a file for a moment; the scratch directory is only disk space.
        }
    }

    private static async Task CheckAsync(LoadSubject subject, CancellationToken ct)
    {
        try
        {
            await subject.Client.CheckAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            subject.Skipped = $"the first call against {subject.Endpoint} fails: {ErrorText.Describe(e)}";
        }
    }

    private static TextTable Summarize(List<LoadSubject> subjects, bool messages)
    {
        var moto = subjects.FirstOrDefault(s => s.Label == "moto_server")?.Result;
        var table = messages
            ? new TextTable("target", "requests", "messages", "errors", "req/s", "msg/s", "p50 ms", "p99 ms", "max ms", "msg/s vs moto", "p99 vs moto")
            : new TextTable("target", "requests", "errors", "req/s", "p50 ms", "p99 ms", "max ms", "req/s vs moto", "p99 vs moto", "server CPU µs/req", "peak RSS MiB");
        foreach (var subject in subjects)
        {
            if (subject.Result is not { } r)
            {
                table.Add(messages
                    ? [subject.Label, "-", "-", "-", "not run", "-", "-", "-", "-", "-", "-"]
                    : [subject.Label, "-", "-", "not run", "-", "-", "-", "-", "-", "-", "-"]);
                continue;
            }
            string[] latency = [$"{r.Percentile(50):0.00}", $"{r.Percentile(99):0.00}", $"{r.SortedLatenciesMs.LastOrDefault():0.0}"];
            var p99Ratio = TextTable.Ratio(r.Percentile(99), moto?.Percentile(99));
            table.Add(messages
                ? [subject.Label, $"{r.Succeeded}", $"{r.Messages}", $"{r.Failed}", $"{r.RequestsPerSecond:0}", $"{r.MessagesPerSecond:0}", .. latency,
                    TextTable.Ratio(r.MessagesPerSecond, moto?.MessagesPerSecond), p99Ratio]
                : [subject.Label, $"{r.Succeeded}", $"{r.Failed}", $"{r.RequestsPerSecond:0}", .. latency,
                    TextTable.Ratio(r.RequestsPerSecond, moto?.RequestsPerSecond), p99Ratio,
                    subject.CpuMicrosecondsPerRequest is { } cpu ? $"{cpu:0}" : "-", subject.PeakRssMib is { } rss ? $"{rss:0}" : "-"]);
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
