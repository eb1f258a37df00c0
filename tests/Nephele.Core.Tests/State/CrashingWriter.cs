using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Nephele.Core.State;

namespace Nephele.Core.Tests.State;

/// <summary>
/// The child half of the kill test: the test assembly started again with <see cref="Variable"/> set writes
/// rows forever, printing "ack N" after each write returns, until the parent kills it. It runs from a module
/// initializer because the test SDK generates this assembly's Main; without the variable it does nothing.
/// </summary>
internal static class CrashingWriter
{
    public const string Variable = "NEPHELE_TEST_CRASHING_WRITER_DIR";
    public static readonly Scope Scope = new("111111111111", "us-east-1");

    [ModuleInitializer]
    internal static void RunWhenStartedAsChild()
    {
        var dir = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(dir)) return;
        // Never outlive a parent that failed to kill us.
        var deadline = Stopwatch.StartNew();
        var store = SqliteStateStore.Open(dir);
        var table = store.Table("sqs", "messages");
        store.Blobs.WriteAsync("s3", "../../escape", new MemoryStream(Encoding.UTF8.GetBytes("blob"))).AsTask().GetAwaiter().GetResult();
        store.SetMeta("clock.offset", "600000000");
        Console.Out.WriteLine("ack blob");
        for (var i = 0; deadline.Elapsed < TimeSpan.FromSeconds(60); i++)
        {
            var n = i;
            store.Transaction(() =>
            {
                table.Put(Scope, $"a/{n:D6}", Encoding.UTF8.GetBytes($"a{n}"));
                table.Put(Scope, $"b/{n:D6}", Encoding.UTF8.GetBytes($"b{n}"));
                return 0;
            });
            table.Put(Scope, $"c/{n:D6}", Encoding.UTF8.GetBytes($"c{n}"));
            Console.Out.WriteLine($"ack {n}");
        }
        Environment.Exit(3);
    }

    /// <summary>Starts the child on <paramref name="dataDir"/>; its stdout is redirected for the acks.</summary>
    public static Process Start(string dataDir)
    {
        var assembly = typeof(CrashingWriter).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.Environment[Variable] = dataDir;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
    }
}
