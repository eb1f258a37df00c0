using System.Diagnostics;
using Nephele.Bench.Cli;
using Nephele.Bench.Targets;

namespace Nephele.Bench.Processes;

/// <summary>
/// One started server: its clock starts right before Process.Start, its output is drained (a full pipe
/// would stall it) and kept short for error messages, and disposing it kills its whole process tree.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int KeptLines = 30;
    private readonly Queue<string> _output = new();
    private readonly long _startedAt;

    private ServerProcess(ServerTarget target, int port, Process process, long startedAt)
    {
        Target = target;
        Port = port;
        Process = process;
        _startedAt = startedAt;
    }

    public ServerTarget Target { get; }
    public int Port { get; }
    public Process Process { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public Uri HealthUrl => new(BaseUrl, Target.HealthPath);

    public static ServerProcess Start(ServerTarget target, int port)
    {
        var info = new ProcessStartInfo(target.FileName)
        {
            WorkingDirectory = target.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in target.Arguments(port)) info.ArgumentList.Add(arg);
        foreach (var (name, value) in target.Environment) info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"{target.Label}: cannot start {target.FileName}: {e.Message}");
        }
        LaunchedProcesses.Track(process);
        var server = new ServerProcess(target, port, process, startedAt);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startedAt);

    public string RecentOutput
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    /// <summary>Polls the health URL until it answers 200; returns the time since Process.Start.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(ReadinessProbe probe, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _startedAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (await probe.IsReadyAsync(HealthUrl, ct)) return Elapsed;
            if (Process.HasExited)
                throw new BenchException($"{Target.Label} exited with code {Process.ExitCode} before answering {HealthUrl}:\n{RecentOutput}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new BenchException($"{Target.Label} did not answer {HealthUrl} within {timeout.TotalSeconds:0} s:\n{RecentOutput}");
            await Task.Delay(ReadinessProbe.Interval, ct);
        }
    }

    public void Dispose() => LaunchedProcesses.Kill(Process);

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines) _output.Dequeue();
        }
    }
}
