using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nephele.Core.Gateway;

namespace Nephele.Cli;

/// <summary>
/// `nephele [start] [--host] [--port] [--data-dir] [--ephemeral] [--log-level]`, `nephele status` and
/// `nephele logs <function-name> [--follow] [--endpoint]`.
/// Every option also reads its NEPHELE_* environment variable. Usage errors exit 2 with one line.
/// </summary>
internal static class NepheleCli
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var host = new Option<string>("--host") { Description = "Address to bind (loopback unless told otherwise).", DefaultValueFactory = _ => Env("NEPHELE_HOST") ?? "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => int.TryParse(Env("NEPHELE_PORT"), out var p) ? p : 4566 };
        var dataDir = new Option<string>("--data-dir") { Description = "Where state is kept.", DefaultValueFactory = _ => Env("NEPHELE_DATA_DIR") ?? ".nephele" };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "Keep all state in memory.", DefaultValueFactory = _ => Env("NEPHELE_EPHEMERAL") is "1" or "true" };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error.", DefaultValueFactory = _ => Enum.TryParse<LogLevel>(Env("NEPHELE_LOG_LEVEL"), true, out var l) ? l : LogLevel.Information };
        var enforce = new Option<bool>("--enforce-signatures") { Description = "Verify SigV4 signatures (off by default).", DefaultValueFactory = _ => Env("NEPHELE_ENFORCE_SIGNATURES") is "1" or "true" };
        var enforceIam = new Option<bool>("--enforce-iam") { Description = "Evaluate IAM policies for IAM users and roles (off by default).", DefaultValueFactory = _ => Env("NEPHELE_ENFORCE_IAM") is "1" or "true" };

        var start = new Command("start", "Start Nephele (the default).") { host, port, dataDir, ephemeral, logLevel, enforce, enforceIam };
        var status = new Command("status", "Ask a running Nephele for its health.") { host, port };
        var coverage = new Command("coverage", "Print the service coverage table (docs/coverage.md).");
        var function = new Argument<string>("function-name") { Description = "The Lambda function whose log group /aws/lambda/<name> to print." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until Ctrl-C." };
        var endpoint = new Option<string>("--endpoint") { Description = "The running Nephele.", DefaultValueFactory = _ => Env("NEPHELE_ENDPOINT") ?? "http://localhost:4566" };
        var region = new Option<string>("--region") { Description = "The function's region.", DefaultValueFactory = _ => Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1" };
        var logs = new Command("logs", "Print a Lambda function's log from a running Nephele.") { function, follow, endpoint, region };
        var root = new RootCommand("Nephele: a whole AWS cloud in one local process.") { start, status, coverage, logs, host, port, dataDir, ephemeral, logLevel, enforce, enforceIam };

        NepheleOptions Options(ParseResult r) => new()
        {
            Host = r.GetValue(host)!,
            Port = r.GetValue(port),
            DataDir = r.GetValue(dataDir)!,
            Ephemeral = r.GetValue(ephemeral),
            LogLevel = r.GetValue(logLevel),
            EnforceSignatures = r.GetValue(enforce),
            EnforceIam = r.GetValue(enforceIam),
        };
        start.SetAction((r, ct) => StartCommand.RunAsync(Options(r), ct));
        root.SetAction((r, ct) => StartCommand.RunAsync(Options(r), ct));
        status.SetAction((r, ct) => StatusCommand.RunAsync(r.GetValue(host)!, r.GetValue(port), ct));
        coverage.SetAction(_ => Console.Write(CoverageCommand.Markdown()));
        logs.SetAction((r, ct) => Nephele.Services.Logs.LogsTail.RunAsync(new Uri(r.GetValue(endpoint)!), r.GetValue(function)!, r.GetValue(follow), Console.Out, Console.Error, ct, r.GetValue(region)!));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"nephele: {parsed.Errors[0].Message}");
            return UsageError;
        }
        return await parsed.InvokeAsync();
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
