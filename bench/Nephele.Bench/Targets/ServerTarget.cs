namespace Nephele.Bench.Targets;

/// <summary>How to start one server on a given port, and which URL says it is ready.</summary>
internal sealed record ServerTarget(
    string Key,
    string Label,
    string FileName,
    Func<int, IReadOnlyList<string>> Arguments,
    string HealthPath,
    string WorkingDirectory,
    TimeSpan ReadyTimeout)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool IsMoto => Key == TargetKeys.Moto;
}

internal static class TargetKeys
{
    public const string Aot = "aot";
    public const string Dll = "dll";
    public const string Run = "run";
    public const string Moto = "moto";
    public const string Dynalite = "dynalite";
}
