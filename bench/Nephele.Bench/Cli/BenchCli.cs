using System.Runtime.InteropServices;
using Nephele.Bench.Load;
using Nephele.Bench.Micro;

using Nephele.Bench.Processes;
using Nephele.Bench.Startup;

namespace Nephele.Bench.Cli;

/// <summary>Dispatches to one command; every failure the user can fix ends as one line on stderr, exit 2.</summary>
internal static class BenchCli
{
    public const int Failed = 1;
    public const int UsageError = 2;

    private const string Usage = """
        usage: nephele-bench <command> [options]

          startup  time from process start to first 200, and idle RSS, per target vs moto_server
                   --runs N (5)  --targets aot,dll,run,moto  --aot PATH  --build-aot  --moto PATH
                   --repo DIR  --no-build  --timeout SECONDS  --idle SECONDS (2)
          micro    BenchmarkDotNet: routing + JSON parsing of an SQS SendMessage, in process
                   any BenchmarkDotNet arguments, e.g. --job short
          load     N workers sending STS GetCallerIdentity (or SQS batches) through the AWS SDK for D seconds
                   --workload sts|sqs-send|sqs-receive|kms-encrypt|kms-decrypt|sns-publish|lambda-invoke|lambda-cold|lambda-burst|s3-put|s3-get|s3-large|s3-list|ddb-put|ddb-get|ddb-query|ssm-get|secrets-get (sts)
                   --workers N (8)  --duration SECONDS (10, at most 60)  --targets aot,dll,moto
                   --rounds N (5)  --warmup SECONDS (2)  --aot PATH  --moto PATH  --repo DIR
                   --no-build  --quiet
                   --endpoint URL (an already running loopback server instead of --targets)
                   s3-large: --size-mib N (1024)  --server-pid PID (with --endpoint); s3-list: --keys N (100000)  --passes N (3)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? UsageError : 0;
        }

        // Ctrl+C cancels the run (whose finally stops the servers); SIGTERM and SIGHUP end the bench at
        // once, so their handlers stop the servers themselves before the default termination goes on.
        using var cancel = new CancellationTokenSource();
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cancel.Cancel(); });
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => LaunchedProcesses.KillAll());
        using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => LaunchedProcesses.KillAll());

        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "startup" => await StartupCommand.RunAsync(BenchArgs.Parse(rest), cancel.Token),
                "micro" => MicroCommand.Run(rest),
                "load" => await LoadCommand.RunAsync(BenchArgs.Parse(rest), cancel.Token),
                _ => Fail($"unknown command '{args[0]}'.\n{Usage}"),
            };
        }
        catch (BenchException e)
        {
            return Fail(e.Message);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return Fail("cancelled.");
        }
        finally
        {
            LaunchedProcesses.KillAll();
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"nephele-bench: {message}");
        return UsageError;
    }
}
