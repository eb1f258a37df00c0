using Nephele.Bench.Cli;
using Nephele.Bench.Processes;

namespace Nephele.Bench.Targets;

/// <summary>Finds moto_server, looking through a pyenv shim so its bash wrapper is not charged to moto's startup.</summary>
internal static class MotoLocator
{
    public static async Task<string> FindAsync(string? explicitPath, CancellationToken ct)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : throw new BenchException($"--moto {explicitPath}: no such file.");
        var onPath = ExecutableSearch.Find("moto_server")
            ?? throw new BenchException("moto_server is not on PATH; install it (pip install 'moto[server]'), pass --moto PATH, or leave moto out with --targets.");
        if (!onPath.Contains("/.pyenv/shims/", StringComparison.Ordinal)) return onPath;
        var real = (await ToolRunner.RunAsync("pyenv", ["which", "moto_server"], Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(30), ct)).Trim();
        return File.Exists(real) ? real : onPath;
    }
}
