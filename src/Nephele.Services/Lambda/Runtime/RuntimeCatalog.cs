using System.Collections.Concurrent;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>How one runtime starts: the program, its arguments, and whether it is Nephele's own runtime client
/// (which marks the end of each invocation's output on stdout).</summary>
internal sealed record RuntimeLaunch(string FileName, IReadOnlyList<string> Arguments, bool OwnClient);

/// <summary>
/// The runtimes Lambda knows and how Nephele runs them with the interpreters on this machine: nodejs* with
/// `node` and Nephele's bootstrap.js, python3.* with `python3.X` (else `python3`) and bootstrap.py,
/// dotnet* executable assemblies with `dotnet exec`, provided.* with the package's own `bootstrap`. java and ruby are not run yet.
/// </summary>
internal static class RuntimeCatalog
{
    public static readonly IReadOnlyList<string> Known =
    [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x",
        "nodejs22.x", "nodejs24.x", "java8", "java8.al2", "java11", "java17", "java21", "java25", "python2.7", "python3.6", "python3.7",
        "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14", "dotnetcore1.0", "dotnetcore2.0",
        "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "dotnet10", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "ruby3.2",
        "ruby3.3", "ruby3.4", "provided", "provided.al2", "provided.al2023",
    ];

    private static readonly HashSet<string> Blocked =
    [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs4.3-edge", "python2.7", "python3.6",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "ruby2.5",
    ];

    private static readonly ConcurrentDictionary<string, string?> Found = new(StringComparer.Ordinal);

    /// <summary>Runtimes AWS no longer accepts for new functions or updates.</summary>
    public static bool Deprecated(string runtime) => Blocked.Contains(runtime);

    /// <summary>The runtimes this machine can run now, for health and docs.</summary>
    public static IEnumerable<string> Available() => Known.Where(r => !Deprecated(r) && TryLaunch(r, "", "", out _) is null);

    /// <summary>How to start <paramref name="runtime"/>; an AWS error naming what to install when it cannot be run here.</summary>
    public static RuntimeLaunch Launch(string runtime, string codeDirectory, string runtimeDirectory) =>
        TryLaunch(runtime, codeDirectory, runtimeDirectory, out var launch) is { } problem
            ? throw new AwsException("InvalidRuntimeException", problem, 502, false, new() { ["Type"] = "User" })
            : launch!;

    private static string? TryLaunch(string runtime, string codeDirectory, string runtimeDirectory, out RuntimeLaunch? launch)
    {
        launch = null;
        if (runtime.StartsWith("nodejs", StringComparison.Ordinal))
        {
            var node = Which("node");
            if (node is null)
                return $"Nephele runs {runtime} functions with the 'node' executable, which is not on the PATH. Install Node.js {Version(runtime)} (https://nodejs.org/) and restart Nephele.";
            launch = new RuntimeLaunch(node, [Path.Combine(runtimeDirectory, "bootstrap.js")], true);
            return null;
        }
        if (runtime.StartsWith("python3", StringComparison.Ordinal))
        {
            var python = Which(runtime) ?? Which("python3");
            if (python is null)
                return $"Nephele runs {runtime} functions with '{runtime}' or 'python3', neither of which is on the PATH. Install Python {runtime[6..]} and restart Nephele.";
            launch = new RuntimeLaunch(python, ["-u", Path.Combine(runtimeDirectory, "bootstrap.py")], true);
            return null;
        }
        if (runtime.StartsWith("dotnet", StringComparison.Ordinal) && !Deprecated(runtime))
        {
            var dotnet = Which("dotnet");
            if (dotnet is null)
                return $"Nephele runs {runtime} functions with the 'dotnet' executable, which is not on the PATH. Install the .NET {Version(runtime)} runtime (https://dot.net) and restart Nephele.";
            // The assembly to run depends on the handler; DotnetLaunch completes the arguments.
            launch = new RuntimeLaunch(dotnet, [], false);
            return null;
        }
        if (runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            launch = new RuntimeLaunch(Path.Combine(codeDirectory, "bootstrap"), [], false);
            return null;
        }
        return $"Nephele cannot run {runtime} functions yet: it runs nodejs*, python3.*, dotnet* (executable assemblies) and provided.al2/provided.al2023 (bring a bootstrap) functions.";
    }

    private static string Version(string runtime) => new(runtime.Where(char.IsAsciiDigit).ToArray());

    /// <summary>The full path of an executable on the PATH, or null.</summary>
    private static string? Which(string name) => Found.GetOrAdd(name, static n =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, n);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });
}
