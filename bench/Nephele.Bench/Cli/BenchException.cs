namespace Nephele.Bench.Cli;

/// <summary>A failure the user can act on (missing tool, bad option, server that never got ready).</summary>
internal sealed class BenchException(string message) : Exception(message);
