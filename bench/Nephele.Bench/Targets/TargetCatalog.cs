using Nephele.Bench.Cli;

namespace Nephele.Bench.Targets;

/// <summary>Turns --targets into runnable servers, building or locating each one first so no timing includes a build.</summary>
internal static class TargetCatalog
{
    private static readonly Dictionary<string, string> DotnetQuiet = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>Where a Nephele started with a data directory on <paramref name="port"/> keeps its state.</summary>
    public static string DataDirOf(int port) => Path.Combine(Path.GetTempPath(), "nephele-bench", $"data-{port}");

    public static async Task<IReadOnlyList<ServerTarget>> ResolveAsync(
        BenchArgs args, IReadOnlyList<string> defaults, IReadOnlyList<string> allowed, IReadOnlyList<string> nepheleExtraArgs, CancellationToken ct,
        bool dataDir = false)
    {
        var explicitTargets = args.Has("--targets");
        var keys = args.GetList("--targets", defaults, [.. allowed]);
        var repo = keys.Any(k => k != TargetKeys.Moto) ? RepoLocator.Find(args.Get("--repo")) : "";
        // --durable: Nephele keeps its state in a fresh data directory (the default for users) instead of --ephemeral.
        var durable = args.Has("--durable");
        // Nephele runs --ephemeral, but a scratch working directory keeps any stray file out of the repo.
        var workDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nephele-bench")).FullName;
        var targets = new List<ServerTarget>();

        // A workload that moves more than memory should hold (s3-large) runs Nephele on disk: data-<port> in the scratch directory.
        IReadOnlyList<string> Nephele(int port) => dataDir || durable
            ? ["start", "--port", port.ToString(), "--data-dir", DataDirOf(port), .. nepheleExtraArgs]
            : ["start", "--port", port.ToString(), "--ephemeral", .. nepheleExtraArgs];

        foreach (var key in keys)
        {
            switch (key)
            {
                case TargetKeys.Aot:
                    var aot = await NepheleBuilds.ResolveAotAsync(repo, args.Get("--aot"), args.Has("--build-aot"), ct);
                    if (aot is null)
                    {
                        if (explicitTargets) throw new BenchException("no AOT binary: pass --aot PATH or --build-aot.");
                        Console.WriteLine("aot: skipped (no binary; pass --aot PATH or --build-aot)");
                        continue;
                    }
                    Console.WriteLine($"aot: {aot} (built {File.GetLastWriteTime(aot):yyyy-MM-dd HH:mm})");
                    targets.Add(new(key, "nephele (native AOT)", aot, Nephele, "_nephele/health", workDir, TimeSpan.FromSeconds(30)));
                    break;
                case TargetKeys.Dll:
                    var dll = await NepheleBuilds.EnsureDllAsync(repo, args.Has("--no-build"), ct);
                    targets.Add(new(key, "dotnet nephele.dll", "dotnet", port => [dll, .. Nephele(port)], "_nephele/health", workDir, TimeSpan.FromSeconds(30))
                    {
                        Environment = DotnetQuiet,
                    });
                    break;
                case TargetKeys.Run:
                    if (!targets.Any(t => t.Key == TargetKeys.Dll))
                        await NepheleBuilds.EnsureDllAsync(repo, args.Has("--no-build"), ct);
                    var project = NepheleBuilds.ProjectDir(repo);
                    // Includes MSBuild's up-to-date check on every start, which is what `dotnet run` users wait for.
                    targets.Add(new(key, "dotnet run -c Release", "dotnet", port => ["run", "--project", project, "-c", "Release", "--", .. Nephele(port)],
                        "_nephele/health", workDir, TimeSpan.FromSeconds(180))
                    {
                        Environment = DotnetQuiet,
                    });
                    break;
                case TargetKeys.Moto:
                    var moto = await MotoLocator.FindAsync(args.Get("--moto"), ct);
                    // /moto-api/data.json is moto's smallest always-200 page.
                    targets.Add(new(key, "moto_server", moto, port => ["-H", "127.0.0.1", "-p", port.ToString()], "moto-api/data.json", workDir, TimeSpan.FromSeconds(60)));
                    break;
                case TargetKeys.Dynalite:
                    var dynalite = await DynaliteLocator.EnsureAsync(repo, ct);
                    // dynalite answers GET / with 200 ("healthy: ...") once it listens; it keeps tables in memory.
                    targets.Add(new(key, "dynalite", ExecutableSearch.Find("node") ?? throw new BenchException("node is not on PATH."),
                        port => [dynalite, "--port", port.ToString()], "", workDir, TimeSpan.FromSeconds(30)));
                    break;
            }
        }
        if (targets.Count == 0) throw new BenchException("no target to run.");
        return targets;
    }
}
