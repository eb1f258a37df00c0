using System.Diagnostics;

namespace Nephele.Bench.Load;

/// <summary>
/// Closed-loop load: each worker sends its next request as soon as the last one answers, until the
/// time or the request budget runs out. Bounded both ways so it always stops by itself.
/// </summary>
internal sealed class LoadRunner(int workers, TimeSpan duration, long maxRequests)
{
    public async Task<LoadResult> RunAsync(Func<CancellationToken, Task> send, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);
        long budget = maxRequests, failed = 0;
        string? firstError = null;
        var latencies = new List<double>[workers];

        async Task Worker(int index)
        {
            var mine = latencies[index] = new List<double>(capacity: 64 * 1024);
            while (!stop.IsCancellationRequested && Interlocked.Decrement(ref budget) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await send(stop.Token);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The clock ran out mid-request; that request counts neither way.
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, ErrorText.Describe(e), null);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(i => Task.Run(() => Worker(i), CancellationToken.None)));
        clock.Stop();
        ct.ThrowIfCancellationRequested();

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all.Length, failed, clock.Elapsed, all, firstError);
    }
}
