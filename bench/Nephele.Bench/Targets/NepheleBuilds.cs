using Nephele.Bench.Cli;
using Nephele.Bench.Processes;

namespace Nephele.Bench.Targets;

/// <summary>The two Nephele builds the bench runs: the framework-dependent Release build and the native AOT binary.</summary>
internal static class NepheleBuilds
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    // AOT compiles the whole framework with ILCompiler; on a 2-core machine that takes minutes.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(25);

    public static string ProjectDir(string repo) => Path.Combine(repo, "src", "Nephele");

    public static string DllPath(string repo) => Path.Combine(ProjectDir(repo), "bin", "Release", "net10.0", "nephele.dll");

    public static string DefaultAotPath(string repo) => Path.Combine(repo, "bench", ".artifacts", "aot", "nephele");

    /// <summary>Builds src/Nephele in Release (what `dotnet run -c Release` would run) unless told not to.</summary>
    public static async Task<string> EnsureDllAsync(string repo, bool noBuild, CancellationToken ct)
    {
        var dll = DllPath(repo);
        if (!noBuild)
        {
            Console.WriteLine("building src/Nephele (Release) ...");
            await ToolRunner.RunAsync("dotnet", ["build", ProjectDir(repo), "-c", "Release", "--nologo", "-v", "q"], repo, BuildTimeout, ct);
        }
        return File.Exists(dll)
            ? dll
            : throw new BenchException($"{dll} does not exist; build it with 'dotnet build src/Nephele -c Release' or drop --no-build.");
    }

    /// <summary>
    /// The AOT binary: --aot PATH, else one built earlier into bench/.artifacts/aot, else (with --build-aot)
    /// a fresh publish there; null when none is available and building was not asked for.
    /// </summary>
    public static async Task<string?> ResolveAotAsync(string repo, string? explicitPath, bool build, CancellationToken ct)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new BenchException($"--aot {explicitPath}: no such file.");
        var path = DefaultAotPath(repo);
        if (File.Exists(path) && !build) return path;
        if (!build) return null;
        Console.WriteLine($"publishing native AOT into {Path.GetDirectoryName(path)} (several minutes on 2 cores) ...");
        await ToolRunner.RunAsync("dotnet",
            ["publish", ProjectDir(repo), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "--nologo", "-o", Path.GetDirectoryName(path)!],
            repo, PublishTimeout, ct);
        return File.Exists(path) ? path : throw new BenchException($"dotnet publish finished but {path} is missing.");
    }
}
