using System.Diagnostics;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Processes;

/// <summary>Runs a build tool to completion with a time limit; its output is shown only when it fails.</summary>
internal static class ToolRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        using var process = new Process { StartInfo = info };
        var command = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"cannot run {fileName} ({e.Message}); is it installed and on PATH?");
        }
        LaunchedProcesses.Track(process);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new BenchException($"'{command}' did not finish within {timeout.TotalMinutes:0.#} min.");
            }
            var output = await stdout + await stderr;
            if (process.ExitCode != 0)
                throw new BenchException($"'{command}' failed with exit code {process.ExitCode}:\n{Tail(output, 40)}");
            return output;
        }
        finally
        {
            LaunchedProcesses.Kill(process);
        }
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
