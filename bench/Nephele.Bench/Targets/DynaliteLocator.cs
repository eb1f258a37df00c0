using Nephele.Bench.Cli;
using Nephele.Bench.Processes;

namespace Nephele.Bench.Targets;

/// <summary>
/// dynalite (a DynamoDB emulator in Node.js on LevelDB, in memory unless given a path), installed once with npm
/// into bench/.artifacts/dynalite so the bench needs nothing but node and npm on PATH.
/// </summary>
internal static class DynaliteLocator
{
    public const string Version = "4.0.0";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    public static string InstallDir(string repo) => Path.Combine(repo, "bench", ".artifacts", "dynalite");

    /// <summary>The path of dynalite's cli.js, installing the pinned version first when it is missing.</summary>
    public static async Task<string> EnsureAsync(string repo, CancellationToken ct)
    {
        var dir = InstallDir(repo);
        var cli = Path.Combine(dir, "node_modules", "dynalite", "cli.js");
        if (File.Exists(cli)) return cli;
        var npm = ExecutableSearch.Find("npm") ?? throw new BenchException("npm is not on PATH; install Node.js or leave dynalite out with --targets.");
        Directory.CreateDirectory(dir);
        Console.WriteLine($"installing dynalite {Version} into {dir} ...");
        await ToolRunner.RunAsync(npm, ["install", "--no-audit", "--no-fund", "--prefix", dir, $"dynalite@{Version}"], dir, InstallTimeout, ct);
        return File.Exists(cli) ? cli : throw new BenchException($"npm install dynalite finished but {cli} is missing.");
    }
}
