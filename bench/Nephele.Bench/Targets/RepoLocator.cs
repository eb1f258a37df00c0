using Nephele.Bench.Cli;

namespace Nephele.Bench.Targets;

/// <summary>The repository root: the folder holding Nephele.slnx, above the working directory or the bench binary.</summary>
internal static class RepoLocator
{
    public static string Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(Path.Combine(full, "Nephele.slnx"))
                ? full
                : throw new BenchException($"--repo {explicitPath}: no Nephele.slnx there.");
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Nephele.slnx")))
                    return dir.FullName;
        throw new BenchException("cannot find the repository (Nephele.slnx); run from inside it or pass --repo DIR.");
    }
}
