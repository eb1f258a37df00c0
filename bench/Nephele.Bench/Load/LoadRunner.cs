using System.Diagnostics;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// Closed-loop load: each worker sends its next request as soon as the last one answers, until the
/// time or the request budget runs out. Bounded both ways so it always stops by itself.
/// </summary>
internal sealed class LoadRunner(int workers, long maxRequests)
{
    // In-flight requests are cancelled when the window closes; one that ignores that for this long means a hung server.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(15);

    public async Task<LoadResult> RunAsync(Func<CancellationToken, Task<int>> send, TimeSpan duration, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        long budget = maxRequests, failed = 0, messages = 0;
        string? firstError = null;
        var latencies = new List<double>[workers];

        async Task Worker(int index)
        {
            var mine = latencies[index] = new List<double>(capacity: 16 * 1024);
            while (!stop.IsCancellationRequested && Interlocked.Decrement(ref budget) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var moved = await send(stop.Token);
                    // A request answered after the window closed is outside what is measured.
                    if (!stop.IsCancellationRequested)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        Interlocked.Add(ref messages, moved);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The window closed mid-request; that request counts neither way.
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ErrorText.Describe(e), null);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        var all = Task.WhenAll(Enumerable.Range(0, workers).Select(i => Task.Run(() => Worker(i), CancellationToken.None)));
        if (await Task.WhenAny(all, Task.Delay(duration + DrainLimit, ct)) != all)
        {
            ct.ThrowIfCancellationRequested();
            throw new BenchException($"requests were still pending {DrainLimit.TotalSeconds:0} s after the {duration.TotalSeconds:0} s window closed; the server looks hung.");
        }
        await all;
        ct.ThrowIfCancellationRequested();
        // The window, or less when the request budget ran out first.
        var elapsed = clock.Elapsed < duration ? clock.Elapsed : duration;

        var sorted = latencies.SelectMany(l => l).ToArray();
        Array.Sort(sorted);
        return new LoadResult(sorted.Length, messages, failed, elapsed, sorted, firstError);
    }
}
