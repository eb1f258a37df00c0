namespace Nephele.Bench.Targets;

/// <summary>PATH lookup, so a missing tool is reported by name before anything starts.</summary>
internal static class ExecutableSearch
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
